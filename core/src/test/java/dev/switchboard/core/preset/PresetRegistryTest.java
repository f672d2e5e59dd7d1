package dev.switchboard.core.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The registry's cache: requests read a preset from the store once, and a new version replaces it at once. */
class PresetRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryPresetStore store = new InMemoryPresetStore();
    private final PresetRegistry registry =
            new PresetRegistry(store, JSON, Clock.fixed(Instant.parse("2026-04-20T10:00:00.123456Z"), ZoneOffset.UTC));

    @Test
    void aPresetIsReadFromTheStoreOnceForAnyNumberOfRequests() {
        registry.addVersion("cached", config("{\"temperature\":0.5}"), "creator");
        int before = store.finds();

        for (int i = 0; i < 100; i++) {
            assertThat(registry.active("cached"))
                    .hasValueSatisfying(
                            p -> assertThat(p.config().path("temperature").asDouble())
                                    .isEqualTo(0.5));
        }

        assertThat(store.finds() - before).as("written through by addVersion").isZero();
    }

    @Test
    void anUnknownSlugIsReadFromTheStoreOnce() {
        for (int i = 0; i < 100; i++) {
            assertThat(registry.active("never")).isEmpty();
        }

        assertThat(store.finds()).isEqualTo(1);
    }

    @Test
    void aNewVersionReplacesTheCachedOneAndACachedMiss() {
        assertThat(registry.active("late")).isEmpty();
        registry.addVersion("late", config("{\"seed\":1}"), "creator");
        assertThat(registry.active("late").orElseThrow().version()).isEqualTo(1);

        registry.addVersion("late", config("{\"seed\":2}"), "creator");

        ActivePreset active = registry.active("late").orElseThrow();
        assertThat(active.version()).isEqualTo(2);
        assertThat(active.config().path("seed").asInt()).isEqualTo(2);
    }

    @Test
    void concurrentWritersAndReadersLeaveTheNewestVersionCached() throws Exception {
        int writers = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        registry.addVersion("raced", config("{}"), "creator");
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        registry.active("raced");
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(registry.active("raced").orElseThrow().version()).isEqualTo(writers * each);
    }

    @Test
    void theCacheHoldsABoundedNumberOfSlugs() {
        for (int i = 0; i < PresetRegistry.MAX_CACHED + 10; i++) {
            registry.active("miss-" + i);
        }
        int reads = store.finds();

        int reread = 0;
        for (int i = 0; i < PresetRegistry.MAX_CACHED + 10; i++) {
            int before = store.finds();
            registry.active("miss-" + i);
            reread += store.finds() - before;
        }

        assertThat(reads).isEqualTo(PresetRegistry.MAX_CACHED + 10);
        assertThat(registry.cachedSlugs()).isLessThanOrEqualTo(PresetRegistry.MAX_CACHED);
        assertThat(reread).as("some slugs made room for others").isPositive();
    }

    @Test
    void versionsAreStampedToTheMillisecond() {
        DesignatedPreset added = registry.addVersion("stamped", config("{}"), "creator");

        assertThat(added.version().createdAt()).isEqualTo(Instant.parse("2026-04-20T10:00:00.123Z"));
        assertThat(added.version().creatorId()).isEqualTo("creator");
    }

    @Test
    void refusesABadSlugAndAVersionOverItsBound() {
        assertThatThrownBy(() -> registry.addVersion("Bad Slug", config("{}"), "creator"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
        String prompt = "x".repeat(PresetRegistry.MAX_VERSION_BYTES);
        assertThatThrownBy(() -> registry.addVersion(
                        "big", new PresetConfig(Optional.of(prompt), JSON.createObjectNode()), "creator"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.PAYLOAD_TOO_LARGE));
        assertThat(registry.find("big")).isEmpty();
    }

    private static PresetConfig config(String json) {
        try {
            return new PresetConfig(Optional.empty(), (ObjectNode) JSON.readTree(json));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
