package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening where an earlier database was lost (defect D7): refused in one line unless a new database is
 * allowed, and then the earlier files are moved aside, never deleted.
 */
class LeftoverFilesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private static final SqliteStorage.Options REFUSE =
            SqliteStorage.Options.defaults().allowingNewDatabase(false);
    private static final SqliteStorage.Options ALLOW = new SqliteStorage.Options(true, REFUSE.checkInterval(), CLOCK);

    @TempDir
    Path dir;

    @Test
    void refusesANewDatabaseBesideTheWalOfALostOne() throws Exception {
        Path file = dir.resolve("switchboard.db");
        Files.writeString(dir.resolve("switchboard.db-wal"), "wal of the lost database");
        Files.writeString(dir.resolve("switchboard.db-shm"), "shm");

        IllegalStateException refused =
                catchThrowableOfType(IllegalStateException.class, () -> SqliteStorage.open(file, REFUSE));

        assertThat(refused.getMessage())
                .startsWith("the database file " + file.toAbsolutePath() + " is missing, but ")
                .contains("holds switchboard.db-wal, switchboard.db-shm from an earlier database")
                .contains("put the database file back")
                .contains("--allow-new-database")
                .contains("SWITCHBOARD_ALLOW_NEW_DATABASE=true")
                .doesNotContain("\n");
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("switchboard.db-wal")).hasContent("wal of the lost database");
    }

    @Test
    void refusesANewDatabaseBesideASavedCopyAndSaysHowToRestoreIt() throws Exception {
        Path file = dir.resolve("switchboard.db");
        Files.writeString(dir.resolve("switchboard.db.recovered-20261130T080000Z"), "older copy");
        Files.writeString(dir.resolve("switchboard.db.recovered-20261201T090000Z"), "newer copy");

        IllegalStateException refused =
                catchThrowableOfType(IllegalStateException.class, () -> SqliteStorage.open(file, REFUSE));

        assertThat(refused.getMessage())
                .contains("rename the newest copy, switchboard.db.recovered-20261201T090000Z, to switchboard.db")
                .contains("--allow-new-database");
        assertThat(file).doesNotExist();
    }

    @Test
    void movesTheJournalFilesAsideWhenANewDatabaseIsAllowed() throws Exception {
        Path file = dir.resolve("switchboard.db");
        Files.writeString(dir.resolve("switchboard.db-wal"), "wal of the lost database");
        Files.writeString(dir.resolve("switchboard.db-journal"), "journal");
        Path copy = Files.writeString(dir.resolve("switchboard.db.recovered-20261130T080000Z"), "copy");

        try (SqliteStorage storage = SqliteStorage.open(file, ALLOW)) {
            assertThat(storage.keys().all()).isEmpty();
        }

        assertThat(dir.resolve("switchboard.db-wal.stale-20261201T120000Z")).hasContent("wal of the lost database");
        assertThat(dir.resolve("switchboard.db-journal.stale-20261201T120000Z")).hasContent("journal");
        assertThat(copy).as("saved copies stay where they are").hasContent("copy");
        assertThat(file).exists();
        try (SqliteStorage again = SqliteStorage.open(file, REFUSE)) {
            assertThat(again.problem())
                    .as("an existing database opens whatever is beside it")
                    .isEmpty();
        }
    }

    @Test
    void aFirstStartInAnEmptyDirectoryNeedsNoPermission() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("data/switchboard.db"), REFUSE)) {
            assertThat(storage.keys().all()).isEmpty();
        }
    }
}
