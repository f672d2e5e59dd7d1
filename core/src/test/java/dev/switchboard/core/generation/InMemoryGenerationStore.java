package dev.switchboard.core.generation;

import dev.switchboard.core.storage.GenerationStore;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link GenerationStore} in memory for tests of core. It can fail its first writes (to show that
 * nothing is lost) and hold writes back until a gate opens (to look at records still in flight).
 */
final class InMemoryGenerationStore implements GenerationStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, GenerationRecord> records = new LinkedHashMap<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final AtomicInteger failuresLeft;
    private final AtomicInteger attempts = new AtomicInteger();
    private final CountDownLatch gate;

    private InMemoryGenerationStore(int failures, boolean gated) {
        this.failuresLeft = new AtomicInteger(failures);
        this.gate = new CountDownLatch(gated ? 1 : 0);
    }

    static InMemoryGenerationStore working() {
        return new InMemoryGenerationStore(0, false);
    }

    /** Throws on its first {@code failures} writes, then works. */
    static InMemoryGenerationStore failingFirst(int failures) {
        return new InMemoryGenerationStore(failures, false);
    }

    /** Blocks every write until {@link #open()}. */
    static InMemoryGenerationStore gated() {
        return new InMemoryGenerationStore(0, true);
    }

    void open() {
        gate.countDown();
    }

    @Override
    public void insertAll(List<GenerationRecord> batch) {
        attempts.incrementAndGet();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("disk on fire");
        }
        lock.lock();
        try {
            batch.forEach(r -> records.putIfAbsent(r.id(), r));
            batchSizes.add(batch.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<GenerationRecord> find(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(records.get(id));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    int size() {
        lock.lock();
        try {
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    List<Integer> batchSizes() {
        lock.lock();
        try {
            return List.copyOf(batchSizes);
        } finally {
            lock.unlock();
        }
    }

    int attempts() {
        return attempts.get();
    }

    static GenerationRecord record(String id) {
        return new GenerationRecord(id, Instant.parse("2025-03-19T12:00:00.123Z"), "hash-" + id.length(), "acme/chat", "mock",
                "Mock Cloud", "chatcmpl-" + id, true, false, "stop", "stop", 10, 20, 0, 0, new BigDecimal("0.00004"),
                120, 100, 20, Optional.empty(), Optional.empty(), Optional.empty(), 200, Optional.empty(), false);
    }
}
