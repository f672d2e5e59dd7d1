package dev.switchboard.core.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GenerationLogTest {
    @Test
    void recordIsVisibleBeforeItIsStored() {
        InMemoryGenerationStore store = InMemoryGenerationStore.gated();
        GenerationLog log = new GenerationLog(store);
        GenerationRecord record = InMemoryGenerationStore.record("gen-1");

        log.record(record);

        assertThat(log.find("gen-1")).contains(record);
        assertThat(store.find("gen-1")).isEmpty();
        assertThat(log.backlog()).isEqualTo(1);

        store.open();
        log.close();
        assertThat(store.find("gen-1")).contains(record);
        assertThat(log.find("gen-1")).contains(record);
        assertThat(log.backlog()).isZero();
    }

    @Test
    void findsStoredRecordsAndNothingForUnknownIds() {
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        GenerationLog log = new GenerationLog(store);
        log.record(InMemoryGenerationStore.record("gen-1"));
        log.close();

        assertThat(log.find("gen-1")).isPresent();
        assertThat(log.find("gen-unknown")).isEmpty();
    }

    @Test
    void closeDrainsEveryRecordInBoundedBatches() {
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        GenerationLog log = new GenerationLog(store);
        for (int i = 0; i < 3000; i++) {
            log.record(InMemoryGenerationStore.record("gen-" + i));
        }

        log.close();

        assertThat(store.size()).isEqualTo(3000);
        assertThat(log.backlog()).isZero();
        assertThat(store.batchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 512));
        assertThat(store.batchSizes().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(3000);
    }

    @Test
    void recordsFromManyThreadsAreAllStored() throws Exception {
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        GenerationLog log = new GenerationLog(store);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200; i++) {
                    log.record(InMemoryGenerationStore.record("gen-" + thread + "-" + i));
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        log.close();

        assertThat(store.size()).isEqualTo(16 * 200);
    }

    @Test
    void storeThatFailsItsFirstWritesLosesNothing() {
        InMemoryGenerationStore store = InMemoryGenerationStore.failingFirst(3);
        GenerationLog log = new GenerationLog(store);
        List<GenerationRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(InMemoryGenerationStore.record("gen-" + i));
            log.record(records.getLast());
        }

        for (GenerationRecord record : records) {
            assertThat(log.find(record.id()))
                    .as("visible while the store fails")
                    .contains(record);
        }
        log.close();

        assertThat(store.attempts()).isGreaterThanOrEqualTo(4);
        for (GenerationRecord record : records) {
            assertThat(store.find(record.id())).contains(record);
        }
        assertThat(log.backlog()).isZero();
    }

    @Test
    void drainReportsWhetherEverythingWasWritten() throws Exception {
        InMemoryGenerationStore store = InMemoryGenerationStore.gated();
        GenerationLog log = new GenerationLog(store);
        log.record(InMemoryGenerationStore.record("gen-1"));

        assertThat(log.drain(Duration.ofMillis(200))).as("store still blocked").isFalse();
        assertThat(log.find("gen-1")).isPresent();

        store.open();
        assertThat(log.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(store.find("gen-1")).isPresent();
    }

    @Test
    void recordReturnsWithoutWaitingForTheStore() throws Exception {
        InMemoryGenerationStore store = InMemoryGenerationStore.gated();
        GenerationLog log = new GenerationLog(store);
        CountDownLatch done = new CountDownLatch(1);

        Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 1000; i++) {
                log.record(InMemoryGenerationStore.record("gen-" + i));
            }
            done.countDown();
        });

        assertThat(done.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(log.backlog()).isEqualTo(1000);
        store.open();
        log.close();
        assertThat(store.size()).isEqualTo(1000);
    }
}
