package dev.switchboard.core.storage;

/**
 * One kind of database, opened from storage URLs of one scheme. Registered with a
 * {@link StorageFactory} by the composition root. Implementations are stateless and thread-safe.
 */
public interface StorageBackend {
    /** The URL scheme this backend opens, lower case, without the colon: {@code sqlite}. */
    String scheme();

    /**
     * Opens the storage at {@code url} (whose scheme is {@link #scheme()}) and brings its schema up to
     * date before returning.
     *
     * @throws IllegalArgumentException when the location is not one this backend understands
     * @throws IllegalStateException    when the database cannot be opened or migrated; the message says why
     */
    Storage open(StorageUrl url, StorageOptions options);
}
