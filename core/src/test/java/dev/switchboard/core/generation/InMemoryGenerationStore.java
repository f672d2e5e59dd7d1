package dev.switchboard.core.generation;

import dev.switchboard.core.storage.GenerationStore;
import dev.switchboard.core.storage.StorageException;
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
 * nothing is lost), hold writes back until a gate opens (to look at records still in flight), hold
 * only so many records, like a disk with little space left (a write that would go beyond the capacity
 * fails whole, as a transaction does), and refuse every write for a while with a given failure.
 */
final class InMemoryGenerationStore implements GenerationStore {
    static final String FULL_DISK = "the disk holding /srv/switchboard is full (0 bytes free)";
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, GenerationRecord> records = new LinkedHashMap<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final List<Integer> rejected = new ArrayList<>();
    private final AtomicInteger failuresLeft;
    private final AtomicInteger attempts = new AtomicInteger();
    private final CountDownLatch gate;
    private volatile int capacity = Integer.MAX_VALUE;
    private volatile String refusedId;
    private volatile RuntimeException refuseAll;

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

    /** Holds at most {@code records} records, failing like a full disk beyond; raise it later to "free space". */
    static InMemoryGenerationStore withCapacity(int records) {
        InMemoryGenerationStore store = working();
        store.capacity = records;
        return store;
    }

    void capacity(int records) {
        capacity = records;
    }

    /** Refuses every write that holds the record {@code id}, until {@link #acceptEverything()}. */
    void refuseRecord(String id) {
        refusedId = id;
    }

    /** Refuses every write with {@code failure}, until {@link #acceptEverything()}. */
    void refuseEverything(RuntimeException failure) {
        refuseAll = failure;
    }

    void acceptEverything() {
        refusedId = null;
        refuseAll = null;
        capacity = Integer.MAX_VALUE;
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
            RuntimeException refusal = refusal(batch);
            if (refusal != null) {
                rejected.add(batch.size());
                throw refusal;
            }
            batch.forEach(r -> records.putIfAbsent(r.id(), r));
            batchSizes.add(batch.size());
        } finally {
            lock.unlock();
        }
    }

    private RuntimeException refusal(List<GenerationRecord> batch) {
        RuntimeException all = refuseAll;
        if (all != null) {
            return all;
        }
        String id = refusedId;
        if (id != null && batch.stream().anyMatch(r -> r.id().equals(id))) {
            return new StorageException(StorageException.Reason.FAILED, "record " + id + " refused", null);
        }
        long fresh = batch.stream().filter(r -> !records.containsKey(r.id())).count();
        if (records.size() + fresh > capacity) {
            return new StorageException(StorageException.Reason.DISK_FULL, FULL_DISK, null);
        }
        return null;
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

    @Override
    public UsageTotals byokUsage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
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

    /** The sizes of the writes refused, in order. */
    List<Integer> rejectedSizes() {
        lock.lock();
        try {
            return List.copyOf(rejected);
        } finally {
            lock.unlock();
        }
    }

    int attempts() {
        return attempts.get();
    }

    static GenerationRecord record(String id) {
        return new GenerationRecord(
                id,
                Instant.parse("2025-03-19T12:00:00.123Z"),
                "hash-" + id.length(),
                "acme/chat",
                "mock",
                "Mock Cloud",
                "chatcmpl-" + id,
                true,
                false,
                "stop",
                "stop",
                10,
                20,
                0,
                0,
                new BigDecimal("0.00004"),
                120,
                100,
                20,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                200,
                Optional.empty(),
                false);
    }
}
