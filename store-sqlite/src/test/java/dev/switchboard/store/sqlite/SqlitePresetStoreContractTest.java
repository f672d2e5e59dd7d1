package dev.switchboard.store.sqlite;

import dev.switchboard.core.storage.PresetStoreContract;
import dev.switchboard.core.storage.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded backend passes the preset store contract, each test on a new database file. */
class SqlitePresetStoreContractTest extends PresetStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Storage openStorage() {
        return SqliteStorage.open(dir.resolve("presets.db"));
    }
}
