package dev.switchboard.store.sqlite;

import dev.switchboard.core.storage.StorageException;
import dev.switchboard.core.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Puts a failed SQLite operation into plain words, once, as a {@link StorageException}.
 *
 * <p>Design note. The exception that reaches the caller is often not the one that matters. When a
 * write meets a full disk, SQLite rolls the transaction back by itself, so the driver's own rollback
 * and commit fail next with "no transaction is active", and unless the first failure is kept, that is
 * all the log ever says (defect D8). So the stores keep the first failure and attach the later ones as
 * suppressed, and this class searches the whole tree of causes and suppressed exceptions for SQLite's
 * result code (the primary code, {@code extended & 0xff}). {@code SQLITE_FULL} anywhere means a full
 * disk. A disk can also fill up in ways SQLite reports otherwise (an I/O error writing the WAL, a lost
 * first error), so any failure while the file system holding the database has less than
 * {@value #NEARLY_FULL_BYTES} usable bytes counts as a full disk too. Then come a read-only file or
 * directory, a missing file, a lock held too long; anything else keeps SQLite's own message.
 *
 * <p>Thread-safe.
 */
final class SqliteFailures {
    /** Below this many usable bytes a file system counts as full, whatever SQLite said. */
    static final long NEARLY_FULL_BYTES = 1024 * 1024;

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;

    private final Path file;
    private final Path directory;
    private final ToLongFunction<Path> usableSpace;

    SqliteFailures(Path file) {
        this(file, SqliteFailures::usableSpace);
    }

    /** @param usableSpace usable bytes of the file system holding a directory; negative when unknown */
    SqliteFailures(Path file, ToLongFunction<Path> usableSpace) {
        this.file = file.toAbsolutePath();
        // an absolute file path has a parent unless it is a root, which cannot be a database file
        this.directory = java.util.Objects.requireNonNullElse(this.file.getParent(), this.file);
        this.usableSpace = usableSpace;
    }

    StorageException classify(SQLException failure) {
        List<Integer> codes = resultCodes(failure);
        long free = usableSpace.applyAsLong(directory);
        if (codes.contains(SQLITE_FULL) || (free >= 0 && free < NEARLY_FULL_BYTES)) {
            return new StorageException(
                    Reason.DISK_FULL,
                    "the disk holding " + directory + " is full ("
                            + (free >= 0 ? free + " bytes free" : "free space unknown") + ")",
                    failure);
        }
        if (codes.contains(SQLITE_READONLY)) {
            return new StorageException(
                    Reason.READ_ONLY,
                    "the database " + file + " cannot be written: the file, its"
                            + " directory or the file system is read-only (check permissions and mount options)",
                    failure);
        }
        if (codes.contains(SQLITE_CANTOPEN) && !Files.exists(file)) {
            return new StorageException(Reason.FILE_MISSING, "the database file " + file + " is missing", failure);
        }
        if (codes.contains(SQLITE_BUSY) || codes.contains(SQLITE_LOCKED)) {
            return new StorageException(
                    Reason.BUSY,
                    "the database " + file + " stayed locked by another connection or"
                            + " process for longer than the busy timeout",
                    failure);
        }
        return new StorageException(
                Reason.FAILED, "the database " + file + " reported: " + failure.getMessage(), failure);
    }

    /** The primary SQLite result codes anywhere among the failure's causes and suppressed exceptions. */
    private static List<Integer> resultCodes(Throwable failure) {
        List<Integer> codes = new ArrayList<>();
        Deque<Throwable> todo = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        todo.push(failure);
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException sql && sql.getErrorCode() > 0) {
                codes.add(sql.getErrorCode() & 0xff);
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                todo.push(suppressed);
            }
        }
        return codes;
    }

    /** Usable bytes of the file system holding {@code directory} (or its nearest existing ancestor); -1 when unknown. */
    static long usableSpace(Path directory) {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return -1;
        }
        try {
            return Files.getFileStore(existing).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }
}
