package dev.switchboard.store.sqlite;

import dev.switchboard.core.storage.ByokStoreContract;
import dev.switchboard.core.storage.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded backend passes the BYOK store contract, each test on a new database file. */
class SqliteByokStoreContractTest extends ByokStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Storage openStorage() {
        return SqliteStorage.open(dir.resolve("byok.db"));
    }
}
