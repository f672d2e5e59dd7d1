package dev.switchboard.core.routing.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.routing.sticky.StickyRoutes.StickyKey;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalStickyRoutesTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final StickyKey KEY = new StickyKey("caller", "acme/chat", 42);

    private final AtomicLong now = new AtomicLong(5 * MINUTE);

    @Test
    void remembersTheEndpointForTenMinutesOfInactivity() {
        LocalStickyRoutes routes = new LocalStickyRoutes(now::get, 100);
        routes.answered(KEY, "cheap");

        now.addAndGet(9 * MINUTE);
        assertThat(routes.endpoint(KEY)).hasValue("cheap");
        routes.answered(KEY, "cheap"); // each answer renews
        now.addAndGet(9 * MINUTE);
        assertThat(routes.endpoint(KEY)).hasValue("cheap");
        now.addAndGet(MINUTE);
        assertThat(routes.endpoint(KEY)).isEmpty();
        assertThat(routes.size()).as("an expired entry is dropped when read").isZero();
    }

    @Test
    void keysAreCallerModelAndConversation() {
        LocalStickyRoutes routes = new LocalStickyRoutes(now::get, 100);
        routes.answered(KEY, "cheap");

        assertThat(routes.endpoint(new StickyKey("other", "acme/chat", 42))).isEmpty();
        assertThat(routes.endpoint(new StickyKey("caller", "acme/other", 42))).isEmpty();
        assertThat(routes.endpoint(new StickyKey("caller", "acme/chat", 43))).isEmpty();
    }

    @Test
    void aFullStoreSweepsExpiredEntriesAndOtherwiseRemembersNothingNew() {
        LocalStickyRoutes routes = new LocalStickyRoutes(now::get, 2);
        routes.answered(new StickyKey("c", "m", 1), "a");
        routes.answered(new StickyKey("c", "m", 2), "a");
        routes.answered(new StickyKey("c", "m", 3), "a");
        assertThat(routes.endpoint(new StickyKey("c", "m", 3)))
                .as("full of live entries")
                .isEmpty();
        assertThat(routes.endpoint(new StickyKey("c", "m", 1))).hasValue("a");

        now.addAndGet(11 * MINUTE);
        routes.answered(new StickyKey("c", "m", 3), "b");
        assertThat(routes.endpoint(new StickyKey("c", "m", 3))).hasValue("b");
        assertThat(routes.size()).isEqualTo(1);
    }
}
