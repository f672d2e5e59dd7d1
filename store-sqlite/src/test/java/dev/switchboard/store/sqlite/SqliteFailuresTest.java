package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.storage.StorageException;
import dev.switchboard.core.storage.StorageException.Reason;
import dev.switchboard.core.storage.StorageFixtures;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * Storage failures on real SQLite files, each reported in plain words (defect D8). A full disk is made
 * without root: SQLite reports {@code SQLITE_FULL} when a connection reaches its {@code max_page_count},
 * and pages freed by deleting rows are used again, which stands in for freeing disk space.
 */
class SqliteFailuresTest {
    /** A page limit above what the empty schema takes (its tables and indexes, a page each) and far below 200 records. */
    private static final int SCHEMA_AND_A_LITTLE = 32;

    @TempDir
    Path dir;

    @Test
    void reportsAFullDatabaseAsAFullDiskNotAsTheFailedCommitAfterIt() {
        Path file = dir.resolve("full.db");
        try (SqliteStorage storage =
                SqliteStorage.open(file, SqliteStorage.Options.defaults(), maxPages(SCHEMA_AND_A_LITTLE))) {
            StorageException failure = catchThrowableOfType(
                    StorageException.class, () -> storage.generations().insertAll(records("gen-", 200, 2000)));

            assertThat(failure.reason()).isEqualTo(Reason.DISK_FULL);
            assertThat(failure.getMessage())
                    .startsWith("the disk holding " + dir.toAbsolutePath() + " is full (")
                    .endsWith(" bytes free)")
                    .doesNotContain("cannot commit");
        }
    }

    @Test
    void reportsAFullDatabaseOnAKeyWriteAsAFullDisk() {
        Path file = dir.resolve("keys-full.db");
        try (SqliteStorage storage =
                SqliteStorage.open(file, SqliteStorage.Options.defaults(), maxPages(SCHEMA_AND_A_LITTLE))) {
            storage.generations().insertAll(records("fill-", 1, 2000));
            fillUp(storage);

            StorageException failure = catchThrowableOfType(StorageException.class, () -> {
                for (int i = 0; i < 200; i++) {
                    storage.keys().insert(StorageFixtures.key("key-" + i + "-".repeat(500), StorageFixtures.T0));
                }
            });

            assertThat(failure.reason()).isEqualTo(Reason.DISK_FULL);
            assertThat(failure.getMessage()).contains("is full");
        }
    }

    @Test
    void anyFailureWhileTheFileSystemIsNearlyFullIsAFullDisk() throws Exception {
        Path file = dir.resolve("nearly.db");
        SqliteStorage.open(file).close();
        execute(
                file,
                "CREATE TRIGGER refuse BEFORE INSERT ON generations BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        SqliteGenerationStore store = new SqliteGenerationStore(
                dataSource(file, new SQLiteConfig()), new SqliteFailures(file, directory -> 4096), () -> {});

        StorageException failure =
                catchThrowableOfType(StorageException.class, () -> store.insertAll(records("gen-", 1, 10)));

        assertThat(failure.reason()).isEqualTo(Reason.DISK_FULL);
        assertThat(failure.getMessage())
                .isEqualTo("the disk holding " + dir.toAbsolutePath() + " is full (4096 bytes free)");
    }

    @Test
    void keepsSqlitesOwnWordsForAnythingElse() throws Exception {
        Path file = dir.resolve("other.db");
        SqliteStorage.open(file).close();
        execute(
                file,
                "CREATE TRIGGER refuse BEFORE INSERT ON generations BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");

        StorageException failure = catchThrowableOfType(
                StorageException.class, () -> store(file, new SQLiteConfig()).insertAll(records("gen-", 1, 10)));

        assertThat(failure.reason()).isEqualTo(Reason.FAILED);
        assertThat(failure.getMessage())
                .contains(file.toAbsolutePath().toString())
                .contains("refused by the test");
    }

    @Test
    void namesADatabaseItCannotWrite() {
        Path file = dir.resolve("read-only.db");
        SqliteStorage.open(file).close();
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setOpenMode(SQLiteOpenMode.READONLY);
        readOnly.resetOpenMode(SQLiteOpenMode.READWRITE);
        readOnly.resetOpenMode(SQLiteOpenMode.CREATE);

        StorageException failure = catchThrowableOfType(
                StorageException.class, () -> store(file, readOnly).insertAll(records("gen-", 1, 10)));

        assertThat(failure.reason()).isEqualTo(Reason.READ_ONLY);
        assertThat(failure.getMessage()).contains("cannot be written").contains("read-only");
    }

    @Test
    void namesADatabaseLockedByAnotherProcess() throws Exception {
        Path file = dir.resolve("busy.db");
        SqliteStorage.open(file).close();
        SQLiteConfig impatient = new SQLiteConfig();
        impatient.setBusyTimeout(0);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");

            StorageException failure = catchThrowableOfType(
                    StorageException.class, () -> store(file, impatient).insertAll(records("gen-", 1, 10)));

            assertThat(failure.reason()).isEqualTo(Reason.BUSY);
            assertThat(failure.getMessage()).contains("locked");
        }
    }

    @Test
    void namesAMissingDatabaseFile() {
        Path file = dir.resolve("never-created.db");
        SQLiteConfig existingOnly = new SQLiteConfig();
        existingOnly.resetOpenMode(SQLiteOpenMode.CREATE);

        StorageException failure = catchThrowableOfType(
                StorageException.class, () -> store(file, existingOnly).insertAll(records("gen-", 1, 10)));

        assertThat(failure.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(failure.getMessage()).isEqualTo("the database file " + file.toAbsolutePath() + " is missing");
    }

    @Test
    void generationLogStoresWhatFitsAsSpaceIsFreedOnAFullDatabase() throws Exception {
        Path file = dir.resolve("freed.db");
        try (SqliteStorage storage = SqliteStorage.open(file, SqliteStorage.Options.defaults(), maxPages(64));
                CapturedLog captured = CapturedLog.of(GenerationLog.class)) {
            fillUp(storage);
            GenerationLog log = new GenerationLog(
                    storage.generations(),
                    new GenerationLog.Limits(10_000, Duration.ofMillis(1), Duration.ofMillis(20)));
            List<GenerationRecord> records = records("gen-", 30, 3000);
            records.forEach(log::record);
            awaitTrue(() -> log.writeFailure().isPresent(), "the store fails");
            assertThat(log.writeFailure()).contains(Reason.DISK_FULL);
            int stuck = log.backlog();

            execute(file, "DELETE FROM filler WHERE id % 4 = 0");
            awaitTrue(() -> log.backlog() < stuck, "some records are stored once some space is freed");
            assertThat(log.backlog()).as("not all of them fit yet").isPositive();

            execute(file, "DELETE FROM filler");
            log.close();
            assertThat(log.backlog()).isZero();
            for (GenerationRecord record : records) {
                assertThat(storage.generations().find(record.id())).contains(record);
            }
            assertThat(captured.at(Level.SEVERE))
                    .as("one line for the outage, in plain words")
                    .singleElement()
                    .asString()
                    .contains("the disk holding " + dir.toAbsolutePath() + " is full (");
        }
    }

    /** Fills the database up to its page limit with a table of blobs, written by a connection without the limit. */
    private static void fillUp(SqliteStorage storage) {
        Path file = Path.of(storage.describe().substring("SQLite ".length()));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 64)"
                    + " INSERT INTO filler (id, data) SELECT i, zeroblob(3000) FROM n");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static Properties maxPages(int pages) {
        Properties properties = new Properties();
        properties.setProperty("max_page_count", Integer.toString(pages));
        return properties;
    }

    private static SqliteGenerationStore store(Path file, SQLiteConfig config) {
        return new SqliteGenerationStore(dataSource(file, config), new SqliteFailures(file), () -> {});
    }

    private static SQLiteDataSource dataSource(Path file, SQLiteConfig config) {
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    private static List<GenerationRecord> records(String prefix, int count, int userChars) {
        List<GenerationRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new GenerationRecord(
                    prefix + i,
                    StorageFixtures.T0,
                    "k",
                    "acme/chat",
                    "mock",
                    "Mock Cloud",
                    "x",
                    false,
                    false,
                    "stop",
                    "stop",
                    1,
                    1,
                    0,
                    0,
                    BigDecimal.ONE,
                    1,
                    1,
                    1,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of("u".repeat(userChars)),
                    200,
                    Optional.empty(),
                    false));
        }
        return out;
    }

    private static void execute(Path file, String sql) throws SQLException {
        SqliteStorageTest.execute(file, sql);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(2);
        }
    }
}
