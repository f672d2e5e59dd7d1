package dev.switchboard.core.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.switchboard.core.storage.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GenerationLog} while its store fails (defect D8): whatever fits is stored, nothing is
 * dropped, the backlog held in memory is bounded by refusing new requests, and the outage is logged
 * once in the store's own words.
 */
class GenerationLogFailureTest {
    /** Fast retries, so that the tests wait milliseconds, not seconds. */
    private static final GenerationLog.Limits FAST =
            new GenerationLog.Limits(10_000, Duration.ofMillis(1), Duration.ofMillis(20));

    private GenerationLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void storesWhatFitsWhenOnlySomeSpaceIsFreed() throws InterruptedException {
        InMemoryGenerationStore store = InMemoryGenerationStore.withCapacity(5);
        log = new GenerationLog(store, FAST);
        recordAll(20);

        awaitTrue(() -> store.size() == 5, "the 5 records that fit are stored");
        store.capacity(12);
        awaitTrue(() -> store.size() == 12, "7 more are stored once some space is freed");
        assertThat(log.backlog()).isEqualTo(8);

        store.capacity(Integer.MAX_VALUE);
        log.close();
        assertThat(store.size()).isEqualTo(20);
        assertThat(log.backlog()).isZero();
    }

    @Test
    void splitsAFailedBatchInHalves() throws InterruptedException {
        InMemoryGenerationStore store = InMemoryGenerationStore.withCapacity(0);
        log = new GenerationLog(store, FAST);
        recordAll(16);

        awaitTrue(() -> store.rejectedSizes().contains(1), "the writer has split down to one record");

        List<Integer> sizes = store.rejectedSizes();
        List<Integer> halving = new ArrayList<>();
        for (int size = sizes.getFirst(); size >= 1; size /= 2) {
            halving.add(size);
        }
        assertThat(sizes)
                .as("each attempt the first half of the one before")
                .startsWith(halving.toArray(Integer[]::new));
        store.acceptEverything();
    }

    @Test
    void aRecordThatKeepsFailingIsRetriedWithBackoffAndNeverDropped() throws InterruptedException {
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        store.refuseRecord("gen-poison");
        log = new GenerationLog(store, FAST);
        List.of("gen-a", "gen-poison", "gen-b", "gen-c").forEach(id -> log.record(InMemoryGenerationStore.record(id)));

        awaitTrue(() -> store.find("gen-a").isPresent(), "the record before it is stored");
        int attempts = store.attempts();
        awaitTrue(() -> store.attempts() >= attempts + 3, "the failing record is tried again");
        assertThat(log.find("gen-poison")).as("still visible while it waits").isPresent();
        assertThat(store.find("gen-poison")).isEmpty();

        store.acceptEverything();
        log.close();
        assertThat(store.size()).isEqualTo(4);
        assertThat(log.backlog()).isZero();
    }

    @Test
    void retriesAReadOnlyDatabaseWholeRatherThanSplittingIt() throws InterruptedException {
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        store.refuseEverything(
                new StorageException(StorageException.Reason.READ_ONLY, "the database is read-only", null));
        log = new GenerationLog(store, FAST);
        recordAll(8);
        awaitTrue(() -> log.backlog() == 8 && store.rejectedSizes().size() >= 3, "several attempts failed");

        int whole = store.rejectedSizes().getFirst();
        assertThat(store.rejectedSizes()).allSatisfy(size -> assertThat(size).isEqualTo(whole));

        store.acceptEverything();
        log.close();
        assertThat(store.size()).isEqualTo(8);
    }

    @Test
    void refusesNewRequestsAtItsBoundButAcceptsEveryRecordHandedOver() throws InterruptedException {
        InMemoryGenerationStore store = InMemoryGenerationStore.withCapacity(0);
        log = new GenerationLog(store, FAST.withMaxPending(3));

        recordAll(2);
        assertThat(log.admit()).isTrue();
        log.record(InMemoryGenerationStore.record("gen-2"));
        assertThat(log.admit()).as("3 waiting, the bound").isFalse();
        assertThat(log.admit()).isFalse();
        assertThat(log.refused()).isEqualTo(2);

        log.record(InMemoryGenerationStore.record("gen-in-flight"));
        assertThat(log.backlog())
                .as("a request already running still leaves its record")
                .isEqualTo(4);
        assertThat(log.find("gen-in-flight")).isPresent();

        store.capacity(Integer.MAX_VALUE);
        awaitTrue(() -> log.backlog() == 0, "the backlog drains once the store works");
        assertThat(log.admit()).isTrue();
        assertThat(log.refused()).isEqualTo(2);
        assertThat(store.size()).isEqualTo(4);
    }

    @Test
    void logsAnOutageOnceInTheStoresWordsAndThenItsEnd() throws InterruptedException {
        try (CapturedLog captured = CapturedLog.of(GenerationLog.class)) {
            InMemoryGenerationStore store = InMemoryGenerationStore.withCapacity(0);
            log = new GenerationLog(store, FAST);
            recordAll(50);

            awaitTrue(() -> log.writeFailures() >= 20, "many writes have failed");
            assertThat(log.writeFailure()).contains(StorageException.Reason.DISK_FULL);
            assertThat(captured.at(Level.SEVERE))
                    .singleElement()
                    .asString()
                    .contains(InMemoryGenerationStore.FULL_DISK)
                    .contains("kept in memory")
                    .contains("max_pending_records");

            store.capacity(Integer.MAX_VALUE);
            awaitTrue(() -> log.backlog() == 0, "the backlog drains");
            awaitTrue(() -> log.writeFailure().isEmpty(), "the outage is over");
            assertThat(captured.at(Level.INFO))
                    .anySatisfy(line -> assertThat(line).contains("works again"));
            assertThat(captured.at(Level.SEVERE)).hasSize(1);
        }
    }

    private void recordAll(int count) {
        for (int i = 0; i < count; i++) {
            log.record(InMemoryGenerationStore.record("gen-" + i));
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(2);
        }
    }
}
