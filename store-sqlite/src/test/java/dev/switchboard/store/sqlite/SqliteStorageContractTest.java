package dev.switchboard.store.sqlite;

import dev.switchboard.core.storage.Storage;
import dev.switchboard.core.storage.StorageContract;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The embedded backend passes the storage contract, each test on a new database file. */
class SqliteStorageContractTest extends StorageContract {
    @TempDir
    Path dir;

    @Override
    protected Storage openStorage() {
        return SqliteStorage.open(dir.resolve("contract.db"));
    }

    @Override
    protected void refuseModel(String model) {
        execute("CREATE TRIGGER refuse_model BEFORE INSERT ON generations WHEN NEW.model = '" + model + "'"
                + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    }

    @Override
    protected void acceptEveryModel() {
        execute("DROP TRIGGER refuse_model");
    }

    private void execute(String sql) {
        try {
            SqliteStorageTest.execute(dir.resolve("contract.db"), sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
