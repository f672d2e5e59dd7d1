package dev.switchboard.core.storage;

/**
 * What the operator decided for this start, passed to whichever backend opens the storage.
 *
 * @param allowNewDatabase start with a new, empty database even where an earlier one seems to have been
 *                         lost (for SQLite: the file is missing but its journal files are still there)
 */
public record StorageOptions(boolean allowNewDatabase) {
    /** Never start over a lost database. */
    public static final StorageOptions DEFAULTS = new StorageOptions(false);
}
