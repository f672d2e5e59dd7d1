package dev.switchboard.core.generation;

import dev.switchboard.core.storage.GenerationStore;
import dev.switchboard.core.storage.StorageException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;

/**
 * Takes generation records off the request path and writes them to the store in batches.
 *
 * <p>Design note. A request hands its record over in O(1) ({@link #record}) and never waits for
 * the disk. One writer thread drains the queue into {@link GenerationStore#insertAll} transactions of
 * up to {@value #MAX_BATCH} records. After the first record of a batch arrives the writer lingers
 * {@value #LINGER_MS} ms to let others join, so it wakes (and commits) once per batch, not once per
 * request, and the queue is rarely empty, so handing a record over seldom has to wake the writer.
 *
 * <p>Durable before the last byte. With a {@link GenerationJournal}, {@link #record} first appends the
 * record to it, on the request's thread, so a record is safe from a crash of the process before the
 * response that carries its usage is complete, without waiting for a database transaction. Once the
 * store has a record, its journal entry is released; at start, {@link GenerationJournal#recover
 * entries an earlier run left} are queued again before anything else. A
 * record stays visible to {@link #find} from the moment it is handed over until it is stored, so
 * {@code GET /generation} never misses a finished request, and {@link #usage} adds the records still
 * queued to the stored sums, so a key's spend includes every finished request.
 *
 * <p>Reading usage without stopping the writer. A record moves in two steps: the store commits it, then
 * it leaves {@link #pending}. A reader that saw it in both places would count it twice, one that saw it
 * in neither would miss it. The writer therefore makes each move (store, then remove) under the write
 * side of a {@link StampedLock}, and {@link #usage} reads optimistically: it takes a stamp, which fails
 * at once while a move is under way; sums the pending records of the key; reads the store's totals; and
 * then validates the stamp. A valid stamp proves that no move began or ended in between, so the pending
 * sum and the store's totals describe the same set of records, each once. (Records that
 * {@link #record} adds meanwhile are not in the store yet, so counting them or not is the same as reading
 * a moment earlier or later.) When the stamp fails, the reader waits for the move under way to finish,
 * holding nothing, and tries again. An optimistic read takes no lock, so the writer never waits for it,
 * however long the store's query takes. Since the writer lingers {@value #LINGER_MS} ms before every
 * batch and a usage query reads a few dozen rows of per-day totals, a read almost always fits between
 * two moves. So that a reader cannot starve behind a writer that never pauses, after
 * {@value #OPTIMISTIC_TRIES} failed tries the reader takes the read lock for one query, which holds
 * the writer up for that one short query at most.
 *
 * <p>When the store fails (a full disk, say), a {@link BatchWriter} splits the batch so that whatever
 * fits is stored, and retries the rest with backoff; {@link StoreOutage} logs the outage once, in the
 * store's words. Records are never dropped, so while the store fails they pile up in memory. The pile
 * is bounded by back-pressure rather than by dropping: {@link #record} always accepts (a request that is
 * already running must be able to leave its record), and {@link #admit} tells the request path to
 * refuse new requests while {@link Limits#maxPending} or more records wait. Memory is therefore bounded
 * by that limit plus the requests in flight. {@link #admit} is one volatile read and a compare, cheap
 * enough for every request. {@link #close()} drains everything before it returns.
 *
 * <p>Thread-safe.
 */
public final class GenerationLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GenerationLog.class.getName());
    private static final int MAX_BATCH = 512;
    private static final long LINGER_MS = 5;
    private static final int OPTIMISTIC_TRIES = 3;

    private final GenerationStore store;
    private final Limits limits;
    private final LinkedBlockingQueue<GenerationRecord> queue = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<String, GenerationRecord> pending = new ConcurrentHashMap<>();
    /** The journal segment of each record that is journaled and not yet stored. */
    private final ConcurrentHashMap<String, GenerationJournal.Segment> journaled = new ConcurrentHashMap<>();

    private final Optional<GenerationJournal> journal;
    /** The size of {@link #pending}, kept apart so that {@link #admit} is a single read. */
    private final AtomicInteger backlog = new AtomicInteger();

    private final LongAdder refused = new LongAdder();
    private final AtomicBoolean refusing = new AtomicBoolean();
    /** Write-locked while a part of a batch moves from {@link #pending} to the store; {@link #usage} reads against it. */
    private final StampedLock moving = new StampedLock();

    private final StoreOutage outage;
    private final BatchWriter batches;
    private final Thread writer;
    private volatile boolean closing;

    /**
     * How many records may wait before new requests are refused, and how retries are paced.
     *
     * @param maxPending      records handed over and not yet stored at which {@link #admit} says no
     * @param firstRetryDelay the wait after the first failure of a write that cannot be split further
     * @param maxRetryDelay   the longest wait between retries (the wait doubles up to it)
     */
    public record Limits(int maxPending, Duration firstRetryDelay, Duration maxRetryDelay) {
        public static final int DEFAULT_MAX_PENDING = 10_000;

        public Limits {
            if (maxPending < 1) {
                throw new IllegalArgumentException("maxPending must be at least 1");
            }
            if (firstRetryDelay.toMillis() < 1 || maxRetryDelay.compareTo(firstRetryDelay) < 0) {
                throw new IllegalArgumentException(
                        "retry delays must be at least 1 ms, the maximum no less than the first");
            }
        }

        /** 10000 records; retries from 50 ms, doubling up to 5 s. */
        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_PENDING, Duration.ofMillis(50), Duration.ofSeconds(5));
        }

        public Limits withMaxPending(int records) {
            return new Limits(records, firstRetryDelay, maxRetryDelay);
        }
    }

    /** A log with the {@link Limits#defaults() default limits}. */
    public GenerationLog(GenerationStore store) {
        this(store, Limits.defaults());
    }

    public GenerationLog(GenerationStore store, Limits limits) {
        this(store, limits, Clock.systemUTC());
    }

    /** @param clock tells the outage log how long the store has been failing */
    public GenerationLog(GenerationStore store, Limits limits, Clock clock) {
        this(store, limits, clock, Optional.empty());
    }

    /**
     * A log whose records are journaled before they are queued, and which first stores what the journal
     * recovers from earlier runs.
     */
    public GenerationLog(GenerationStore store, Limits limits, GenerationJournal journal) {
        this(store, limits, Clock.systemUTC(), Optional.of(journal));
    }

    private GenerationLog(GenerationStore store, Limits limits, Clock clock, Optional<GenerationJournal> journal) {
        this.store = store;
        this.journal = journal;
        this.limits = limits;
        this.outage = new StoreOutage(clock, backlog::get, limits.maxPending());
        this.batches = new BatchWriter(this::store, limits.firstRetryDelay(), limits.maxRetryDelay(), outage);
        journal.ifPresent(this::requeue);
        this.writer = Thread.ofPlatform()
                .daemon()
                .name("switchboard-generation-writer")
                .start(this::drainLoop);
    }

    /**
     * Hands a finished request's record over for writing. Never blocks on I/O and always accepts,
     * whatever the backlog: the bound is enforced on new requests by {@link #admit}.
     */
    public void record(GenerationRecord record) {
        if (journal.isPresent()) {
            GenerationJournal.Segment segment = journal.get().append(record);
            if (segment != null) {
                remember(record, segment);
            }
        }
        enqueue(record);
    }

    /** Queues the records an earlier run journaled; they are stored again (stores skip ids they have). */
    private void requeue(GenerationJournal from) {
        List<GenerationJournal.Recovered> recovered = from.recover();
        for (GenerationJournal.Recovered r : recovered) {
            remember(r.record(), r.segment());
            enqueue(r.record());
        }
        if (!recovered.isEmpty()) {
            LOG.log(
                    Level.INFO,
                    "Storing " + recovered.size() + " generation records recovered from the journal (records"
                            + " of responses finished before the last stop that may not have been stored yet).");
        }
    }

    private void remember(GenerationRecord record, GenerationJournal.Segment segment) {
        GenerationJournal.Segment earlier = journaled.put(record.id(), segment);
        if (earlier != null) {
            // The same id journaled twice: the later entry stands for both.
            journal.orElseThrow().stored(earlier);
        }
    }

    private void enqueue(GenerationRecord record) {
        if (pending.put(record.id(), record) == null) {
            backlog.incrementAndGet();
        }
        queue.add(record);
    }

    /**
     * Whether a new request may start: false while {@link Limits#maxPending} or more records wait to be
     * stored, which is counted as a refusal. One volatile read and a compare when it says yes.
     */
    public boolean admit() {
        if (backlog.get() < limits.maxPending()) {
            return true;
        }
        refused.increment();
        if (refusing.compareAndSet(false, true)) {
            LOG.log(
                    Level.WARNING,
                    backlog.get() + " generation records are waiting to be stored, the limit"
                            + " (storage.max_pending_records) is " + limits.maxPending()
                            + ": new chat requests are refused with"
                            + " 503 until the store catches up.");
        }
        return false;
    }

    /** The record with this id, whether already stored or still queued. */
    public Optional<GenerationRecord> find(String id) {
        GenerationRecord queued = pending.get(id);
        return queued != null ? Optional.of(queued) : store.find(id);
    }

    /**
     * Spend of one key since each of the given instants (UTC midnights), from the store plus the records
     * not yet written, each record counted once. Never holds up the writer for longer than one store
     * query, and normally not at all; may wait for a write under way to finish (see the design note).
     */
    public UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
        return read(keyHash, dayStart, weekStart, monthStart, Spend.CREDITS);
    }

    /**
     * Like {@link #usage}, of what the key's BYOK requests cost at list price ({@link
     * GenerationRecord#byokCost()}).
     */
    public UsageTotals byokUsage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
        return read(keyHash, dayStart, weekStart, monthStart, Spend.BYOK);
    }

    /** Which money of a record a usage read sums. */
    private enum Spend {
        CREDITS,
        BYOK;

        BigDecimal of(GenerationRecord r) {
            return this == CREDITS ? r.cost() : r.byokCost();
        }
    }

    private UsageTotals read(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart, Spend spend) {
        for (int tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
            long stamp = moving.tryOptimisticRead();
            if (stamp != 0) {
                UsageTotals totals = pendingPlusStored(keyHash, dayStart, weekStart, monthStart, spend);
                if (moving.validate(stamp)) {
                    return totals;
                }
            }
            awaitMove();
        }
        long stamp = moving.readLock();
        try {
            return pendingPlusStored(keyHash, dayStart, weekStart, monthStart, spend);
        } finally {
            moving.unlockRead(stamp);
        }
    }

    /** The key's pending records plus the store's totals; each record once only if no move overlaps (see the design note). */
    private UsageTotals pendingPlusStored(
            String keyHash, Instant dayStart, Instant weekStart, Instant monthStart, Spend spend) {
        UsageTotals queued = UsageTotals.ZERO;
        for (GenerationRecord r : pending.values()) {
            if (r.keyHash().equals(keyHash)) {
                queued = plus(queued, r.createdAt(), spend.of(r), dayStart, weekStart, monthStart);
            }
        }
        UsageTotals stored = spend == Spend.CREDITS
                ? store.usage(keyHash, dayStart, weekStart, monthStart)
                : store.byokUsage(keyHash, dayStart, weekStart, monthStart);
        return queued.plus(stored);
    }

    /** Returns once no move is under way; holds nothing after it returns. */
    private void awaitMove() {
        moving.unlockRead(moving.readLock());
    }

    private static UsageTotals plus(
            UsageTotals totals, Instant createdAt, BigDecimal cost, Instant day, Instant week, Instant month) {
        return new UsageTotals(
                totals.total().add(cost),
                createdAt.isBefore(day) ? totals.daily() : totals.daily().add(cost),
                createdAt.isBefore(week) ? totals.weekly() : totals.weekly().add(cost),
                createdAt.isBefore(month) ? totals.monthly() : totals.monthly().add(cost));
    }

    /** Records handed over and not yet stored. */
    public int backlog() {
        return backlog.get();
    }

    /** The backlog at which new requests are refused ({@code storage.max_pending_records}). */
    public int maxPending() {
        return limits.maxPending();
    }

    /** New requests refused by {@link #admit} since start. */
    public long refused() {
        return refused.sum();
    }

    /** Write attempts the store refused since start (a split batch counts once per part). */
    public long writeFailures() {
        return outage.failures();
    }

    /** Why the latest write failed, while writes are failing; empty while they work. */
    public Optional<StorageException.Reason> writeFailure() {
        return outage.reason();
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
                batches.write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stores a part of a batch and takes it off the queue as one step; throws when the store refuses it. */
    private void store(List<GenerationRecord> part) {
        long stamp = moving.writeLock();
        try {
            store.insertAll(part);
            for (GenerationRecord r : part) {
                if (pending.remove(r.id(), r)) {
                    backlog.decrementAndGet();
                }
                GenerationJournal.Segment segment = journaled.remove(r.id());
                if (segment != null) {
                    journal.orElseThrow().stored(segment);
                }
            }
        } finally {
            moving.unlockWrite(stamp);
        }
        if (backlog.get() < limits.maxPending()) {
            refusing.set(false);
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
                LOG.log(
                        Level.ERROR,
                        backlog.get() + " generation records could not be stored before shutdown"
                                + (journal.isPresent()
                                        ? "; they are kept in the journal and stored at the next start"
                                        : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            journal.ifPresent(GenerationJournal::close);
        }
    }
}
