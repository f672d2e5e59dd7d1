package dev.switchboard.core.generation;

import dev.switchboard.core.storage.GenerationStore;

import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes generation records off the request path and writes them to the store in batches.
 *
 * <p>Design note. A request hands its record over in O(1) ({@link #record}) and never waits for
 * the disk. One writer thread drains the queue into {@link GenerationStore#insertAll} transactions of
 * up to {@value #MAX_BATCH} records. After the first record of a batch arrives the writer lingers
 * {@value #LINGER_MS} ms to let others join, so it wakes (and commits) once per batch, not once per
 * request, and the queue is rarely empty, so handing a record over seldom has to wake the writer. A record stays visible to {@link #find} from the moment it is
 * handed over until it is stored, so {@code GET /generation} never misses a finished request, and
 * {@link #usage} adds the records still queued to the stored sums, so a key's spend includes every
 * finished request. Storing a batch and taking it off the queue happen under one lock that
 * {@link #usage} also takes, so no record is counted twice or not at all while it moves. When a
 * write fails the batch is kept and retried with backoff: records are not dropped. {@link #close()}
 * drains everything before it returns.
 *
 * <p>Thread-safe.
 */
public final class GenerationLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GenerationLog.class.getName());
    private static final int MAX_BATCH = 512;
    private static final long LINGER_MS = 5;

    private final GenerationStore store;
    private final LinkedBlockingQueue<GenerationRecord> queue = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<String, GenerationRecord> pending = new ConcurrentHashMap<>();
    /** Held while a batch moves from {@link #pending} to the store, and while {@link #usage} reads both. */
    private final ReentrantLock moving = new ReentrantLock();
    private final Thread writer;
    private volatile boolean closing;

    public GenerationLog(GenerationStore store) {
        this.store = store;
        this.writer = Thread.ofPlatform().daemon().name("switchboard-generation-writer").start(this::drainLoop);
    }

    /** Hands a finished request's record over for writing. Never blocks on I/O. */
    public void record(GenerationRecord record) {
        pending.put(record.id(), record);
        queue.add(record);
    }

    /** The record with this id, whether already stored or still queued. */
    public Optional<GenerationRecord> find(String id) {
        GenerationRecord queued = pending.get(id);
        return queued != null ? Optional.of(queued) : store.find(id);
    }

    /**
     * Spend of one key since each of the given instants, from the store plus the records not yet
     * written. Waits while a batch is being written.
     */
    public UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
        moving.lock();
        try {
            UsageTotals totals = store.usage(keyHash, dayStart, weekStart, monthStart);
            for (GenerationRecord queued : pending.values()) {
                if (queued.keyHash().equals(keyHash)) {
                    totals = plus(totals, queued, dayStart, weekStart, monthStart);
                }
            }
            return totals;
        } finally {
            moving.unlock();
        }
    }

    private static UsageTotals plus(UsageTotals totals, GenerationRecord r, Instant day, Instant week, Instant month) {
        BigDecimal cost = r.cost();
        return new UsageTotals(totals.total().add(cost),
                r.createdAt().isBefore(day) ? totals.daily() : totals.daily().add(cost),
                r.createdAt().isBefore(week) ? totals.weekly() : totals.weekly().add(cost),
                r.createdAt().isBefore(month) ? totals.monthly() : totals.monthly().add(cost));
    }

    /** Records handed over and not yet stored. */
    public int backlog() {
        return pending.size();
    }

    private void drainLoop() {
        List<GenerationRecord> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                GenerationRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                if (!closing) {
                    Thread.sleep(LINGER_MS);
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeWithRetry(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeWithRetry(List<GenerationRecord> batch) throws InterruptedException {
        long backoffMs = 50;
        while (!store(batch, backoffMs)) {
            Thread.sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 5_000);
        }
    }

    /** Stores the batch and takes it off the queue as one step; false (logged) when the store failed. */
    private boolean store(List<GenerationRecord> batch, long retryInMs) {
        moving.lock();
        try {
            store.insertAll(batch);
            batch.forEach(r -> pending.remove(r.id(), r));
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Storing " + batch.size() + " generation records failed, retrying in "
                    + retryInMs + " ms: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return false;
        } finally {
            moving.unlock();
        }
    }

    /** Stops accepting the wait and writes everything queued, waiting at most {@code timeout}. */
    public boolean drain(Duration timeout) throws InterruptedException {
        closing = true;
        writer.join(timeout);
        return !writer.isAlive();
    }

    @Override
    public void close() {
        try {
            if (!drain(Duration.ofSeconds(30))) {
                LOG.log(Level.ERROR, pending.size() + " generation records could not be stored before shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
