package dev.switchboard.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The visiting rules on a manual ticker, stepped by the test; the ticker's own thread only where the
 * thread itself is what is tested, and then only with outcomes that must happen, never with a pause
 * after which nothing should have happened.
 */
class TickerTest {
    private final Ticker ticker = Ticker.manual();

    @AfterEach
    void stop() {
        ticker.close();
    }

    @Test
    void visitsRegisteredTasksWithTheTimeOfTheTick() {
        List<Long> seen = new ArrayList<>();
        ticker.register(seen::add);

        ticker.tickOnce(42);
        ticker.tickOnce(1_000);

        assertThat(seen).containsExactly(42L, 1_000L);
    }

    @Test
    void visitsEveryRegisteredTaskOncePerTick() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        ticker.register(now -> first.incrementAndGet() > 0);
        ticker.register(now -> second.incrementAndGet() > 0);

        ticker.tickOnce(1);
        ticker.tickOnce(2);

        assertThat(first).hasValue(2);
        assertThat(second).hasValue(2);
    }

    @Test
    void dropsATaskThatReturnsFalse() {
        AtomicInteger visits = new AtomicInteger();
        ticker.register(now -> visits.incrementAndGet() < 3);

        for (int i = 0; i < 10; i++) {
            ticker.tickOnce(i);
        }

        assertThat(visits).hasValue(3);
    }

    @Test
    void unregisteredTaskIsNoLongerVisited() {
        AtomicInteger visits = new AtomicInteger();
        Ticker.Task task = now -> visits.incrementAndGet() > 0;
        ticker.register(task);
        ticker.tickOnce(1);

        ticker.unregister(task);
        ticker.tickOnce(2);

        assertThat(visits).hasValue(1);
    }

    @Test
    void aFailingTaskIsDroppedAndTheOthersGoOn() {
        AtomicInteger healthy = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ticker.register(now -> {
            failures.incrementAndGet();
            throw new IllegalStateException("task bug");
        });
        ticker.register(now -> healthy.incrementAndGet() > 0);

        for (int i = 0; i < 5; i++) {
            ticker.tickOnce(i);
        }

        assertThat(healthy).hasValue(5);
        assertThat(failures.get())
                .as("the failing task is dropped, not retried every tick")
                .isEqualTo(1);
    }

    @Test
    void closedTickerVisitsNothing() {
        AtomicInteger visits = new AtomicInteger();
        ticker.register(now -> visits.incrementAndGet() > 0);
        ticker.close();

        ticker.register(now -> visits.incrementAndGet() > 0);
        ticker.tickOnce(1);

        assertThat(visits).hasValue(0);
    }

    @Test
    void aTickerWithItsOwnThreadRefusesManualTicks() {
        try (Ticker threaded = new Ticker(Duration.ofMillis(1), () -> 0)) {
            assertThatThrownBy(() -> threaded.tickOnce(1)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void ownThreadVisitsTasksAtTheTimeOfItsClock() throws Exception {
        AtomicLong nanos = new AtomicLong(42);
        CompletableFuture<Long> first = new CompletableFuture<>();
        CompletableFuture<Long> afterTheMove = new CompletableFuture<>();
        try (Ticker threaded = new Ticker(Duration.ofMillis(1), nanos::get)) {
            threaded.register(now -> {
                first.complete(now);
                if (now != 42) {
                    afterTheMove.complete(now);
                }
                return true;
            });
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(42L);

            nanos.set(1_000);

            assertThat(afterTheMove.get(5, TimeUnit.SECONDS)).isEqualTo(1_000L);
        }
    }

    @Test
    void closingEndsTheTickerThread() throws Exception {
        CompletableFuture<Thread> visitor = new CompletableFuture<>();
        Ticker threaded = new Ticker(Duration.ofMillis(1), System::nanoTime);
        threaded.register(now -> {
            visitor.complete(Thread.currentThread());
            return true;
        });
        Thread thread = visitor.get(5, TimeUnit.SECONDS);

        threaded.close();
        thread.join(Duration.ofSeconds(5));

        assertThat(thread.isAlive()).as("no thread left to visit anything").isFalse();
    }
}
