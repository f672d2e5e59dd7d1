package dev.switchboard.store.sqlite;

import dev.switchboard.core.storage.ReportStoreContract;
import dev.switchboard.core.storage.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded backend passes the report store contract, each test on a new database file. */
class SqliteReportStoreContractTest extends ReportStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Storage openStorage() {
        return SqliteStorage.open(dir.resolve("reports.db"));
    }
}
