package dev.switchboard.core.storage;

import java.util.Objects;

/**
 * A storage operation failed, already classified by the backend into a {@link Reason} the operator
 * can act on. The message says what is wrong in plain words, for the log (it may name files and
 * directories, so it is not for clients); {@link Reason#summary()} is the short form that may be shown
 * to clients. Backends throw this from every {@link KeyStore}, {@link GenerationStore} and
 * {@link PresetStore} method.
 */
public final class StorageException extends RuntimeException {
    private final Reason reason;

    /** The classes of storage failure, each with a stable code and client-safe words. */
    public enum Reason {
        /** The file system holding the database has no usable space (SQLite's {@code SQLITE_FULL}). */
        DISK_FULL("disk_full", "the disk holding the database is full"),
        /** The database file or its directory cannot be written. */
        READ_ONLY("read_only", "the database is read-only"),
        /** The database file is not where it was opened. */
        FILE_MISSING("database_file_missing", "the database file is missing"),
        /** Another connection or process held the database locked for too long. */
        BUSY("busy", "the database is locked by another process"),
        /** Anything else the database reported. */
        FAILED("failed", "the database reported an error");

        private final String code;
        private final String summary;

        Reason(String code, String summary) {
            this.code = code;
            this.summary = summary;
        }

        /** A stable identifier for metrics and error metadata, e.g. {@code disk_full}. */
        public String code() {
            return code;
        }

        /** A few words without paths or internal detail, safe to show a client. */
        public String summary() {
            return summary;
        }
    }

    public StorageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The reason of a failure from a store: its own for a {@code StorageException}, {@link Reason#FAILED} otherwise. */
    public static Reason reasonOf(Throwable failure) {
        return failure instanceof StorageException storage ? storage.reason : Reason.FAILED;
    }
}
