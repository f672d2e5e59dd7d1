package dev.switchboard.server;

import dev.switchboard.core.storage.StorageFactory;
import dev.switchboard.store.sqlite.SqliteBackend;
import java.util.List;

/**
 * Every storage backend the gateway ships, registered by hand: adding one means adding its module and
 * one entry here. The configuration loader accepts exactly their URL schemes, and {@link Gateway}
 * opens {@code storage.url} with this factory.
 */
public final class StorageBackends {
    /** {@code sqlite:} today. Immutable. */
    public static final StorageFactory FACTORY = StorageFactory.of(List.of(new SqliteBackend()));

    private StorageBackends() {}
}
