package dev.switchboard.core.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.storage.GenerationStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GenerationLog}: a finished request counts in its key's usage and is findable from the
 * moment it is handed over, whether or not the store has it yet, and exactly once while its record
 * moves to the store; reading usage never makes the writer wait for the store's query.
 */
class GenerationLogUsageTest {
    private static final Instant MONTH = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant WEEK = Instant.parse("2026-11-16T00:00:00Z");
    private static final Instant DAY = Instant.parse("2026-11-22T00:00:00Z");
    private final TestStore store = new TestStore();
    private final GenerationLog log = new GenerationLog(store);

    @AfterEach
    void close() {
        store.failing = false;
        store.gate.countDown();
        store.readGate.countDown();
        log.close();
    }

    @Test
    void countsARecordInUsageBeforeTheStoreHasIt() throws InterruptedException {
        store.failing = true;
        log.record(record("gen-1", "key-a", "0.0000125", DAY.plusSeconds(60)));
        store.awaitAttempt();

        UsageTotals usage = log.usage("key-a", DAY, WEEK, MONTH);

        assertThat(store.rows).isEmpty();
        assertThat(log.find("gen-1")).isPresent();
        assertThat(usage.total()).isEqualByComparingTo("0.0000125");
        assertThat(usage.daily()).isEqualByComparingTo("0.0000125");
        assertThat(log.usage("key-b", DAY, WEEK, MONTH).total()).isZero();
    }

    @Test
    void countsARecordOnceWhileItsBatchIsBeingStored() throws Exception {
        store.commitThenWait = true;
        log.record(record("gen-2", "key-a", "0.001", DAY.plusSeconds(60)));
        store.awaitAttempt();
        // The store holds the record and so does the queue: a reader now must wait for the move, not add both.

        CompletableFuture<UsageTotals> usage =
                CompletableFuture.supplyAsync(() -> log.usage("key-a", DAY, WEEK, MONTH));
        store.gate.countDown();

        assertThat(usage.get(5, TimeUnit.SECONDS).total()).isEqualByComparingTo("0.001");
        assertThat(log.usage("key-a", DAY, WEEK, MONTH).total()).isEqualByComparingTo("0.001");
    }

    @Test
    void aSlowUsageReadDoesNotHoldUpTheWriterAndCountsWhatMovedMeanwhileOnce() throws Exception {
        log.record(record("gen-8", "key-a", "0.5", DAY.plusSeconds(1)));
        awaitStored("gen-8");
        store.slowReads = true;

        CompletableFuture<UsageTotals> usage =
                CompletableFuture.supplyAsync(() -> log.usage("key-a", DAY, WEEK, MONTH));
        assertThat(store.readStarted.await(5, TimeUnit.SECONDS))
                .as("the read reached the store")
                .isTrue();
        log.record(record("gen-9", "key-a", "0.25", DAY.plusSeconds(2)));

        awaitStored("gen-9");
        assertThat(usage).as("the read is still inside the store").isNotDone();
        store.readGate.countDown();
        assertThat(usage.get(5, TimeUnit.SECONDS).total()).isEqualByComparingTo("0.75");
    }

    @Test
    void putsAQueuedRecordInTheWindowsItFallsIn() throws InterruptedException {
        store.failing = true;
        log.record(record("gen-3", "key-a", "1", DAY.plusSeconds(1)));
        log.record(record("gen-4", "key-a", "10", WEEK.plusSeconds(1)));
        log.record(record("gen-5", "key-a", "100", MONTH.plusSeconds(1)));
        log.record(record("gen-6", "key-a", "1000", MONTH.minusSeconds(1)));
        store.awaitAttempt();

        UsageTotals usage = log.usage("key-a", DAY, WEEK, MONTH);

        assertThat(usage.daily()).isEqualByComparingTo("1");
        assertThat(usage.weekly()).isEqualByComparingTo("11");
        assertThat(usage.monthly()).isEqualByComparingTo("111");
        assertThat(usage.total()).isEqualByComparingTo("1111");
    }

    @Test
    void keepsTheSameUsageOnceTheStoreHasCaughtUp() throws InterruptedException {
        store.failing = true;
        log.record(record("gen-7", "key-a", "0.25", DAY.plusSeconds(1)));
        store.awaitAttempt();
        UsageTotals queued = log.usage("key-a", DAY, WEEK, MONTH);

        store.failing = false;
        assertThat(log.drain(java.time.Duration.ofSeconds(5))).isTrue();

        assertThat(store.rows).containsKey("gen-7");
        assertThat(log.backlog()).isZero();
        assertThat(log.usage("key-a", DAY, WEEK, MONTH)).isEqualTo(queued);
    }

    /** Waits until the writer has stored the record and taken it off the queue. */
    private void awaitStored(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!store.rows.containsKey(id) || log.backlog() > 0) {
            assertThat(System.nanoTime()).as("%s stored within 5 s", id).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private static GenerationRecord record(String id, String keyHash, String cost, Instant createdAt) {
        return new GenerationRecord(
                id,
                createdAt,
                keyHash,
                "acme/chat-small",
                "mock",
                "Mock Cloud",
                "",
                false,
                false,
                "stop",
                "stop",
                3,
                2,
                0,
                0,
                new BigDecimal(cost),
                10,
                5,
                4,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                200,
                Optional.empty(),
                false);
    }

    /**
     * An in-memory store that can refuse writes ({@code failing}), commit a batch and then wait at
     * {@code gate} before returning ({@code commitThenWait}), as a database does between commit and reply,
     * or take its usage snapshot and then wait at {@code readGate} before returning it ({@code slowReads}),
     * as a slow query does.
     */
    private static final class TestStore implements GenerationStore {
        final Map<String, GenerationRecord> rows = new ConcurrentHashMap<>();
        final CountDownLatch attempted = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch readStarted = new CountDownLatch(1);
        final CountDownLatch readGate = new CountDownLatch(1);
        volatile boolean failing;
        volatile boolean commitThenWait;
        volatile boolean slowReads;

        void awaitAttempt() throws InterruptedException {
            assertThat(attempted.await(5, TimeUnit.SECONDS))
                    .as("the writer reached the store")
                    .isTrue();
        }

        @Override
        public void insertAll(List<GenerationRecord> records) {
            attempted.countDown();
            if (failing) {
                throw new IllegalStateException("store unavailable (test)");
            }
            records.forEach(r -> rows.putIfAbsent(r.id(), r));
            if (commitThenWait) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public Optional<GenerationRecord> find(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
            UsageTotals totals = UsageTotals.ZERO;
            for (GenerationRecord r : rows.values()) {
                if (r.keyHash().equals(keyHash)) {
                    BigDecimal c = r.cost();
                    totals = new UsageTotals(
                            totals.total().add(c),
                            r.createdAt().isBefore(dayStart)
                                    ? totals.daily()
                                    : totals.daily().add(c),
                            r.createdAt().isBefore(weekStart)
                                    ? totals.weekly()
                                    : totals.weekly().add(c),
                            r.createdAt().isBefore(monthStart)
                                    ? totals.monthly()
                                    : totals.monthly().add(c));
                }
            }
            if (slowReads) {
                readStarted.countDown();
                try {
                    readGate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return totals;
        }

        @Override
        public UsageTotals byokUsage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
            throw new UnsupportedOperationException("not needed by these tests");
        }
    }
}
