package dev.switchboard.core.storage;

import dev.switchboard.core.keys.ApiKey;
import java.util.List;
import java.util.Optional;

/**
 * Durable key records. Implementations are thread-safe; every method is one atomic write or read.
 * Failures are thrown as {@link StorageException}.
 */
public interface KeyStore {
    void insert(ApiKey key);

    Optional<ApiKey> find(String hash);

    /** Every key, oldest first. */
    List<ApiKey> all();

    /** Replaces the stored record with the same hash; false when there is none. */
    boolean update(ApiKey key);

    /** False when there was no such key. */
    boolean delete(String hash);
}
