package dev.switchboard.core.generation;

import dev.switchboard.core.storage.StorageException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Follows whether generation records can be stored, and says so in the log without flooding it.
 *
 * <p>Design note. A failing store is retried many times a second while batches are being split, so
 * logging each failure would bury the one line that matters. An outage is logged as an ERROR when it
 * begins, again when its {@link StorageException.Reason} changes (the disk was full, now the file is
 * read-only; not when only the message does, since it carries the free bytes), and as a reminder at
 * most once per {@link #REMINDER_INTERVAL} while it lasts. It ends when a whole batch has been stored,
 * which is logged as INFO with its duration. Each line carries the store's message, which
 * the backend has already put in plain words ("the disk holding /var/lib/switchboard is full (8192
 * bytes free)"), and how many records wait in memory.
 *
 * <p>Updated by the writer thread; read from any thread.
 */
final class StoreOutage {
    static final Duration REMINDER_INTERVAL = Duration.ofMinutes(1);
    private static final System.Logger LOG = System.getLogger(GenerationLog.class.getName());

    private final Clock clock;
    private final IntSupplier backlog;
    private final int maxPending;
    private final LongAdder failures = new LongAdder();
    private volatile StorageException.@Nullable Reason reason;
    /** When the current outage began; meaningful only while {@code reason} is set. */
    private Instant since = Instant.EPOCH;

    private Instant lastLogged = Instant.EPOCH;
    private long storedDuring;

    StoreOutage(Clock clock, IntSupplier backlog, int maxPending) {
        this.clock = clock;
        this.backlog = backlog;
        this.maxPending = maxPending;
    }

    void failed(int records, RuntimeException failure) {
        failures.increment();
        Instant now = clock.instant();
        String message = describe(failure);
        StorageException.Reason latest = StorageException.reasonOf(failure);
        if (reason == null) {
            since = now;
            storedDuring = 0;
            log(
                    Level.ERROR,
                    "Storing " + records + " generation records failed: " + message + ". The records are kept in"
                            + " memory and retried; " + backlog.getAsInt()
                            + " are waiting. New chat requests are refused with 503"
                            + " while " + maxPending + " or more wait (storage.max_pending_records).",
                    now);
        } else if (latest != reason || !now.isBefore(lastLogged.plus(REMINDER_INTERVAL))) {
            log(
                    Level.ERROR,
                    "Storing generation records still fails after " + seconds(since, now) + ": " + message + "; "
                            + backlog.getAsInt() + " records are waiting in memory.",
                    now);
        }
        reason = latest;
    }

    void stored(int records) {
        storedDuring += records;
    }

    /** A whole batch is stored: an outage, if there was one, is over. */
    void caughtUp() {
        if (reason != null) {
            LOG.log(
                    Level.INFO,
                    "Storing generation records works again after " + seconds(since, clock.instant()) + "; "
                            + storedDuring + " records were stored since the failure began.");
            reason = null;
        }
    }

    /** The reason of the latest failed write, while writes are failing. */
    Optional<StorageException.Reason> reason() {
        return Optional.ofNullable(reason);
    }

    /** Failed write attempts since start. */
    long failures() {
        return failures.sum();
    }

    private void log(Level level, String line, Instant now) {
        LOG.log(level, line);
        lastLogged = now;
    }

    private static String describe(RuntimeException failure) {
        if (failure instanceof StorageException) {
            return String.valueOf(failure.getMessage());
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String seconds(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds() + " s";
    }
}
