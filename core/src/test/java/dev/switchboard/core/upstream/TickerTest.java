package dev.switchboard.core.upstream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.switchboard.core.upstream.TimeoutWatchdogTest.await;
import static org.assertj.core.api.Assertions.assertThat;

class TickerTest {
    private final AtomicLong nanos = new AtomicLong(42);
    private final Ticker ticker = new Ticker(Duration.ofMillis(1), nanos::get);

    @AfterEach
    void stop() {
        ticker.close();
    }

    @Test
    void visitsRegisteredTasksWithTheTime() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        ticker.register(now -> seen.add(now));

        await(() -> seen.size() >= 2, Duration.ofSeconds(5));
        nanos.set(1_000);
        await(() -> seen.contains(1_000L), Duration.ofSeconds(5));

        assertThat(seen).startsWith(42L).contains(1_000L);
    }

    @Test
    void dropsATaskThatReturnsFalse() throws Exception {
        AtomicInteger visits = new AtomicInteger();
        ticker.register(now -> visits.incrementAndGet() < 3);

        await(() -> visits.get() >= 3, Duration.ofSeconds(5));
        Thread.sleep(30);

        assertThat(visits.get()).isEqualTo(3);
    }

    @Test
    void unregisteredTaskIsNoLongerVisited() throws Exception {
        AtomicInteger visits = new AtomicInteger();
        Ticker.Task task = now -> visits.incrementAndGet() > 0;
        ticker.register(task);
        await(() -> visits.get() >= 1, Duration.ofSeconds(5));

        ticker.unregister(task);
        Thread.sleep(10);
        int after = visits.get();
        Thread.sleep(30);

        assertThat(visits.get()).isEqualTo(after);
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        AtomicInteger healthy = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ticker.register(now -> {
            failures.incrementAndGet();
            throw new IllegalStateException("task bug");
        });
        ticker.register(now -> healthy.incrementAndGet() > 0);

        await(() -> healthy.get() >= 20, Duration.ofSeconds(5));

        assertThat(failures.get()).as("the failing task is dropped, not retried every tick").isEqualTo(1);
    }

    @Test
    void closedTickerVisitsNothing() throws Exception {
        AtomicInteger visits = new AtomicInteger();
        ticker.close();
        Thread.sleep(10);

        ticker.register(now -> visits.incrementAndGet() > 0);
        Thread.sleep(30);

        assertThat(visits.get()).isZero();
    }
}
