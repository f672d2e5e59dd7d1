package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.switchboard.core.storage.StorageFixtures;
import dev.switchboard.core.storage.StorageProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database file deleted or replaced under an open storage (defect D7): noticed by a write, a
 * check or the periodic check, logged once with what to do, and what the open database holds is saved
 * beside it, again at close.
 */
class DatabaseFileWatchTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private static final SqliteStorage.Options RARELY = new SqliteStorage.Options(false, Duration.ofHours(1), CLOCK);

    @TempDir
    Path dir;

    @Test
    void anUntouchedFileHasNoProblem() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("fine.db"), RARELY)) {
            assertThat(storage.problem()).isEmpty();
        }
        assertThat(dir.resolve("fine.db" + RecoveryCopies.INFIX + "20261201T120000Z"))
                .doesNotExist();
    }

    @Test
    void noticesADeletedFileAndSavesWhatTheOpenDatabaseHolds() throws Exception {
        Path file = dir.resolve("switchboard.db");
        Path copy = dir.resolve("switchboard.db.recovered-20261201T120000Z");
        try (CapturedLog log = CapturedLog.of(DatabaseFileWatch.class);
                SqliteStorage storage = SqliteStorage.open(file, RARELY)) {
            storage.keys().insert(StorageFixtures.key("a", StorageFixtures.T0));
            storage.generations()
                    .insertAll(List.of(StorageFixtures.generation("gen-1", "a", StorageFixtures.T0, "0.5")));

            Files.delete(file);

            assertThat(storage.problem()).map(StorageProblem::code).contains("database_file_missing");
            awaitTrue(() -> !log.at(Level.SEVERE).isEmpty(), "the loss is logged");
            assertThat(log.at(Level.SEVERE))
                    .singleElement()
                    .asString()
                    .contains(file.toAbsolutePath() + " was deleted")
                    .contains("saved in " + copy.toAbsolutePath() + ",")
                    .contains("stop the gateway, then move switchboard.db-wal")
                    .contains("rename " + copy.getFileName() + " to switchboard.db");
            assertThat(SqliteStorageTest.query(copy, "SELECT name FROM api_keys"))
                    .containsExactly("a");
            assertThat(SqliteStorageTest.query(copy, "SELECT id FROM generations"))
                    .containsExactly("gen-1");
            assertThat(storage.keys().all()).as("the open database still works").hasSize(1);
            assertThat(file)
                    .as("no connection creates an empty file in its place")
                    .doesNotExist();
        }
    }

    @Test
    void theNextGenerationWriteNotices() throws Exception {
        Path file = dir.resolve("switchboard.db");
        try (SqliteStorage storage = SqliteStorage.open(file, RARELY)) {
            Files.delete(file);

            storage.generations()
                    .insertAll(List.of(StorageFixtures.generation("gen-1", "a", StorageFixtures.T0, "0.5")));

            awaitTrue(() -> Files.exists(dir.resolve("switchboard.db.recovered-20261201T120000Z")), "a copy is saved");
        }
    }

    @Test
    void thePeriodicCheckNoticesWithoutAnyCaller() throws Exception {
        Path file = dir.resolve("switchboard.db");
        SqliteStorage.Options often = new SqliteStorage.Options(false, Duration.ofMillis(20), CLOCK);
        try (SqliteStorage storage = SqliteStorage.open(file, often)) {
            storage.keys().insert(StorageFixtures.key("a", StorageFixtures.T0));

            Files.delete(file);

            awaitTrue(() -> Files.exists(dir.resolve("switchboard.db.recovered-20261201T120000Z")), "a copy is saved");
        }
    }

    @Test
    void noticesAFileReplacedByAnother() throws Exception {
        Path file = dir.resolve("switchboard.db");
        try (SqliteStorage storage = SqliteStorage.open(file, RARELY)) {
            storage.keys().insert(StorageFixtures.key("mine", StorageFixtures.T0));
            Path other = dir.resolve("other.db");
            SqliteStorage.open(other).close();

            Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);

            assertThat(storage.problem()).map(StorageProblem::code).contains("database_file_replaced");
            Path copy = dir.resolve("switchboard.db.recovered-20261201T120000Z");
            awaitTrue(() -> Files.exists(copy), "a copy is saved");
            assertThat(SqliteStorageTest.query(copy, "SELECT name FROM api_keys"))
                    .containsExactly("mine");
        }
    }

    @Test
    void closeSavesWhatWasWrittenAfterTheLoss() throws Exception {
        Path file = dir.resolve("switchboard.db");
        Path copy = dir.resolve("switchboard.db.recovered-20261201T120000Z");
        try (SqliteStorage storage = SqliteStorage.open(file, RARELY)) {
            storage.keys().insert(StorageFixtures.key("before", StorageFixtures.T0));
            Files.delete(file);
            assertThat(storage.problem()).isPresent();
            awaitTrue(() -> Files.exists(copy), "the first copy is saved");

            storage.keys().insert(StorageFixtures.key("after", StorageFixtures.T0));
        }

        assertThat(SqliteStorageTest.query(copy, "SELECT name FROM api_keys ORDER BY name"))
                .containsExactly("after", "before");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
