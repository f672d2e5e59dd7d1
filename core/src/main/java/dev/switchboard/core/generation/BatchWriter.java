package dev.switchboard.core.generation;

import dev.switchboard.core.storage.StorageException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes one batch of generation records to a store that writes all or nothing, storing as much of
 * the batch as the store will take, and returns only when every record is stored.
 *
 * <p>Design note. When a write fails the part is cut in two halves, and each half is tried on its own,
 * first half first. When the disk has room for some records but not all, about log2(batch) extra
 * attempts find the records that fit, and they are stored now. Without this the whole batch would wait
 * until all the space it needs is free. When a single record fails, nothing at all can be stored at
 * the moment. The writer then waits, starting at the first retry delay and doubling up to the maximum,
 * and tries the same record again. It is never dropped, so records are stored in the order they were
 * handed over. Each success resets the delay. Some failures do not depend on the size of
 * the write: a read-only or missing database file, a lock held by another process. Those are retried
 * whole after the delay rather than split, since splitting would only multiply the failing attempts.
 * Every outcome is reported to a {@link StoreOutage}, which decides what to log.
 *
 * <p>Used by the single writer thread of a {@link GenerationLog}; not thread-safe.
 */
final class BatchWriter {
    /** One all-or-nothing write of a part of the batch; throws when the store refuses it. */
    interface Attempt {
        void store(List<GenerationRecord> part);
    }

    private final Attempt attempt;
    private final Duration firstRetryDelay;
    private final Duration maxRetryDelay;
    private final StoreOutage outage;

    BatchWriter(Attempt attempt, Duration firstRetryDelay, Duration maxRetryDelay, StoreOutage outage) {
        this.attempt = attempt;
        this.firstRetryDelay = firstRetryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.outage = outage;
    }

    /** Stores every record of {@code batch}, waiting between attempts while the store fails. */
    void write(List<GenerationRecord> batch) throws InterruptedException {
        Deque<List<GenerationRecord>> parts = new ArrayDeque<>();
        parts.push(batch);
        Duration delay = firstRetryDelay;
        while (!parts.isEmpty()) {
            List<GenerationRecord> part = parts.pop();
            RuntimeException failure = tryStore(part);
            if (failure == null) {
                delay = firstRetryDelay;
            } else if (part.size() > 1 && splittingMayHelp(failure)) {
                parts.push(part.subList(part.size() / 2, part.size()));
                parts.push(part.subList(0, part.size() / 2));
            } else {
                Thread.sleep(delay.toMillis());
                delay = min(delay.multipliedBy(2), maxRetryDelay);
                parts.push(part);
            }
        }
        outage.caughtUp();
    }

    private @Nullable RuntimeException tryStore(List<GenerationRecord> part) {
        try {
            attempt.store(part);
            outage.stored(part.size());
            return null;
        } catch (RuntimeException e) {
            outage.failed(part.size(), e);
            return e;
        }
    }

    private static boolean splittingMayHelp(RuntimeException failure) {
        return switch (StorageException.reasonOf(failure)) {
            case DISK_FULL, FAILED -> true;
            case READ_ONLY, FILE_MISSING, BUSY -> false;
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
