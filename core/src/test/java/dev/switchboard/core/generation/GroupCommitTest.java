package dev.switchboard.core.generation;

import dev.switchboard.core.storage.StorageException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GenerationLog#recordDurably}: a request waits for the commit that holds its record, requests
 * that finish together share one commit, and an outage or a hung store never holds a response for long.
 */
class GroupCommitTest {
    /** So long that a test which returns did not wait for it. */
    private static final Duration FOREVER = Duration.ofHours(1);

    private static GenerationLog log(InMemoryGenerationStore store, Duration commitWait) {
        return new GenerationLog(store, new GenerationLog.Limits(10_000, commitWait, Duration.ofMillis(1), Duration.ofMillis(20)));
    }

    @Test
    void returnsOnceTheRecordIsStored() {
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        try (GenerationLog log = log(store, FOREVER)) {
            assertThat(log.recordDurably(InMemoryGenerationStore.record("gen-1"))).isTrue();

            assertThat(store.find("gen-1")).isPresent();
        }
    }

    @Test
    void requestsThatFinishWhileACommitRunsShareTheNextOne() throws Exception {
        InMemoryGenerationStore store = InMemoryGenerationStore.gated();
        try (GenerationLog log = log(store, FOREVER);
             ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> durable = new ArrayList<>();
            durable.add(requests.submit(() -> log.recordDurably(InMemoryGenerationStore.record("gen-first"))));
            while (store.attempts() == 0) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < 50; i++) {
                String id = "gen-" + i;
                durable.add(requests.submit(() -> log.recordDurably(InMemoryGenerationStore.record(id))));
            }
            while (log.backlog() < 51) {
                Thread.onSpinWait();
            }
            assertThat(durable).noneMatch(Future::isDone);

            store.open();

            for (Future<Boolean> stored : durable) {
                assertThat(stored.get()).isTrue();
            }
            assertThat(store.batchSizes()).containsExactly(1, 50);
        }
    }

    @Test
    void doesNotWaitWhileWritesAreFailing() {
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        store.refuseEverything(new StorageException(StorageException.Reason.DISK_FULL, InMemoryGenerationStore.FULL_DISK, null));
        try (GenerationLog log = log(store, FOREVER)) {
            log.record(InMemoryGenerationStore.record("gen-before"));
            while (log.writeFailure().isEmpty()) {
                Thread.onSpinWait();
            }

            assertThat(log.recordDurably(InMemoryGenerationStore.record("gen-during"))).isFalse();

            assertThat(log.find("gen-during")).as("kept in memory").isPresent();
            store.acceptEverything();
        }
        assertThat(store.find("gen-during")).as("stored once the disk has room").isPresent();
    }

    @Test
    void aWriteThatFailsReleasesItsWaitersWithoutTheirRecordStored() {
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        store.refuseRecord("gen-refused");
        try (GenerationLog log = log(store, FOREVER)) {
            assertThat(log.recordDurably(InMemoryGenerationStore.record("gen-refused"))).isFalse();

            store.acceptEverything();
        }
        assertThat(store.find("gen-refused")).isPresent();
    }

    @Test
    void givesUpAfterTheCommitWaitAndKeepsTheRecord() {
        InMemoryGenerationStore store = InMemoryGenerationStore.gated();
        try (GenerationLog log = log(store, Duration.ofMillis(20))) {
            assertThat(log.recordDurably(InMemoryGenerationStore.record("gen-slow"))).isFalse();

            assertThat(log.find("gen-slow")).isPresent();
            store.open();
        }
        assertThat(store.find("gen-slow")).isPresent();
    }

    @Test
    void anInterruptedWaitReturnsAndKeepsTheInterrupt() {
        InMemoryGenerationStore store = InMemoryGenerationStore.gated();
        try (GenerationLog log = log(store, FOREVER)) {
            Thread.currentThread().interrupt();

            assertThat(log.recordDurably(InMemoryGenerationStore.record("gen-interrupted"))).isFalse();

            assertThat(Thread.interrupted()).isTrue();
            store.open();
        }
        assertThat(store.find("gen-interrupted")).isPresent();
    }
}
