package dev.switchboard.core.storage;

import dev.switchboard.core.byok.ByokKey;
import java.util.List;

/**
 * Durable BYOK credentials, their secrets sealed ({@link dev.switchboard.core.byok.SealedSecret}): a store
 * never sees a secret in clear. Implementations are thread-safe; every method is one atomic write or
 * read. Failures are thrown as {@link StorageException}.
 */
public interface ByokStore {
    void insert(ByokKey key);

    /** Every stored credential, oldest first. */
    List<ByokKey> all();

    /** Replaces the stored credential with the same id; false when there is none. */
    boolean update(ByokKey key);

    /** Removes the credential, sealed secret and all; false when there was none. */
    boolean delete(String id);
}
