package dev.switchboard.store.sqlite;

import dev.switchboard.core.storage.Storage;
import dev.switchboard.core.storage.StorageBackend;
import dev.switchboard.core.storage.StorageOptions;
import dev.switchboard.core.storage.StorageUrl;
import java.nio.file.Path;

/**
 * Opens {@code sqlite:PATH} storage URLs: the location is a file path, relative paths resolved against
 * the working directory. Stateless and thread-safe.
 */
public final class SqliteBackend implements StorageBackend {
    public static final String SCHEME = "sqlite";

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** Opens (creating if needed) the database file, with {@link SqliteStorage.Options#defaults()} otherwise. */
    @Override
    public Storage open(StorageUrl url, StorageOptions options) {
        if (!url.scheme().equals(SCHEME)) {
            throw new IllegalArgumentException("not a " + SCHEME + ": URL");
        }
        return SqliteStorage.open(
                Path.of(url.location()),
                SqliteStorage.Options.defaults().allowingNewDatabase(options.allowNewDatabase()));
    }
}
