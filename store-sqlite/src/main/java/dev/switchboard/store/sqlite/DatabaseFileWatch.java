package dev.switchboard.store.sqlite;

import dev.switchboard.core.storage.StorageProblem;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Notices when the database file is deleted or replaced under the running gateway, and saves what the
 * open database holds.
 *
 * <p>Design note. SQLite keeps using the file it opened. After {@code rm switchboard.db} every read and
 * write still succeeds, on a file that no longer has a name and is gone when the gateway stops, and the
 * next start would begin an empty database (defect D7). So the watch remembers the file's identity at
 * open ({@link BasicFileAttributes#fileKey()}: device and inode on Unix) and compares it with whatever
 * is at the path now. That is one stat, cheap enough to run before every batch the generation writer
 * stores, on every health check, and periodically. The first time the file is found missing or
 * replaced, a copy of the open database is written beside it, {@code <file>.recovered-<UTC time>}, with
 * {@code VACUUM INTO}: a consistent snapshot, read through a pooled connection that still has the
 * deleted file open. The copy runs on the watch's executor, never on the caller's thread, and its
 * outcome is logged as one ERROR that says what happened, where the copy is and what to do. The
 * gateway keeps running on the open database, so requests go on working. {@link #saveFinalCopy()} (at
 * close) writes the copy again, so that it holds everything written until shutdown. A copy is first
 * written to a {@code .tmp} file and then renamed, so a crash never leaves half a copy under the final
 * name. The watch does not put a file back by itself: a replaced file may be the operator's on
 * purpose, and which one to keep is their decision.
 *
 * <p>Thread-safe.
 */
final class DatabaseFileWatch {
    private static final System.Logger LOG = System.getLogger(DatabaseFileWatch.class.getName());

    /** What is at the path, compared with the file that was opened. */
    enum State {
        SAME("", ""),
        MISSING(
                "database_file_missing",
                "The database file was deleted while the gateway was running; the gateway"
                        + " still writes to the deleted file and saves a copy of it beside the file's path (see the log)."),
        REPLACED(
                "database_file_replaced",
                "The database file was replaced by another file while the gateway was"
                        + " running; the gateway still uses the file it opened and saves a copy of it beside the file's path"
                        + " (see the log).");

        private final String code;
        private final String summary;

        State(String code, String summary) {
            this.code = code;
            this.summary = summary;
        }
    }

    private final Path file;
    private final Object identity;
    private final DataSource dataSource;
    private final Executor executor;
    private final RecoveryCopies copies;
    private final AtomicReference<State> state = new AtomicReference<>(State.SAME);
    /** Set once a copy has been saved; the final copy replaces it. */
    private final AtomicReference<Path> copy = new AtomicReference<>();

    private final ReentrantLock copying = new ReentrantLock();

    /**
     * @param executor runs the copy off the caller's thread
     */
    DatabaseFileWatch(Path file, DataSource dataSource, Executor executor, Clock clock) {
        this.file = file.toAbsolutePath();
        this.identity =
                identity(this.file).orElseThrow(() -> new IllegalStateException("no database file at " + this.file));
        this.dataSource = dataSource;
        this.executor = executor;
        this.copies = new RecoveryCopies(this.file, clock);
    }

    /** Compares the file at the path with the one opened; on the first loss, starts saving a copy. Never throws. */
    Optional<StorageProblem> check() {
        State now = current();
        State before = state.getAndSet(now);
        if (before == State.SAME && now != State.SAME) {
            startCopy(now);
        } else if (before != State.SAME && now == State.SAME) {
            LOG.log(Level.INFO, "The database file " + file + " is back at its path; the gateway is using it again.");
        }
        return now == State.SAME ? Optional.empty() : Optional.of(new StorageProblem(now.code, now.summary));
    }

    private void startCopy(State lost) {
        try {
            executor.execute(() -> saveCopy(lost));
        } catch (RejectedExecutionException closing) {
            // The storage is closing: saveFinalCopy() writes the copy.
        }
    }

    /** When the file is lost, writes the copy again so that it holds everything written until now. For close. */
    void saveFinalCopy() {
        State now = current();
        if (now == State.SAME) {
            return;
        }
        Optional<Path> saved = save();
        String what = "Stopping while the database file " + file + " " + lost(now) + ". ";
        LOG.log(
                Level.ERROR,
                saved.map(p -> what + "Everything the gateway stored is saved in " + p + ". "
                                + advice(now, p, "before the next start, "))
                        .orElse(what
                                + "Its contents could not be saved (see the error above); what it held since the first copy"
                                + " is lost."));
    }

    private void saveCopy(State lost) {
        Optional<Path> saved = save();
        String what =
                "The database file " + file + " " + lost(lost) + " while the gateway was running. The gateway keeps"
                        + " working on the file it opened, which no longer has a name and disappears when the gateway stops. ";
        LOG.log(
                Level.ERROR,
                saved.map(p -> what + "Its contents are saved in " + p + ", and saved there again when the"
                                + " gateway stops. " + advice(lost, p, "stop the gateway, then "))
                        .orElse(what
                                + "Its contents could not be saved beside it (see the error above): copy them now, while the"
                                + " gateway runs, from the deleted file it still has open (ls -l /proc/"
                                + ProcessHandle.current().pid()
                                + "/fd), then stop it."));
    }

    /** Writes a copy of the open database; the path it is in, or empty (logged) when that failed. */
    private Optional<Path> save() {
        copying.lock();
        try {
            Path target = copy.get() != null ? copy.get() : copies.next();
            Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(temporary);
            try (Connection c = dataSource.getConnection();
                    PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, temporary.toString());
                vacuum.execute();
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            copy.set(target);
            return Optional.of(target);
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "Could not save a copy of the database " + file + ": " + e);
            return Optional.empty();
        } finally {
            copying.unlock();
        }
    }

    private State current() {
        Optional<Object> now = identity(file);
        if (now.isEmpty()) {
            return State.MISSING;
        }
        boolean comparable = !(identity instanceof Unidentified) && !(now.get() instanceof Unidentified);
        return !comparable || Objects.equals(now.get(), identity) ? State.SAME : State.REPLACED;
    }

    private static String lost(State state) {
        return state == State.MISSING ? "was deleted" : "was replaced by another file";
    }

    /** What the operator should do, beginning with {@code first} ("stop the gateway, then "). */
    private String advice(State state, Path saved, String first) {
        String restore = first + "move " + file.getFileName() + "-wal and " + file.getFileName()
                + "-shm out of the directory and rename " + saved.getFileName() + " to " + file.getFileName();
        return state == State.MISSING
                ? "To keep the data, " + restore + ". Until then the gateway refuses to start there."
                : "Decide which database to keep: the file now at " + file + ", or the copy. To keep the copy, "
                        + restore + ".";
    }

    /** The file's identity (device and inode where the platform has them); empty when nothing is at the path. */
    private static Optional<Object> identity(Path file) {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return Optional.of(key != null ? key : new Unidentified());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Unreadable attributes (a permission change, say) are no evidence that the file is gone.
            return Optional.of(new Unidentified());
        }
    }

    /** A file whose identity cannot be known: only its absence can be noticed. */
    private record Unidentified() {}
}
