package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.report.ActivityQuery;
import dev.switchboard.core.report.ActivityRow;
import dev.switchboard.core.storage.StorageFixtures;
import dev.switchboard.core.storage.StorageFixtures.Periods;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * Schema migrations by Flyway: a new database gets every version; a database made by the hand-written
 * migrations that came before (version 1 in {@code PRAGMA user_version}, no history table) is taken as
 * version 1, keeps its rows and gets the later versions, its usage totals filled in exactly.
 */
class SqliteMigrationsTest {
    private static final Periods NOV_22 = Periods.of(Instant.parse("2026-11-22T18:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void aNewDatabaseGetsEveryVersionInOrder() throws SQLException {
        Path file = dir.resolve("new.db");

        SqliteStorage.open(file).close();

        assertThat(history(file))
                .containsExactly(
                        "1 SQL keys and generations true",
                        "2 JDBC key usage totals per UTC day and lifetime true",
                        "3 SQL provider responses true",
                        "4 SQL presets true",
                        "5 SQL accounts true",
                        "6 SQL rate limits true",
                        "7 JDBC activity and app totals true",
                        "9 SQL io logs true",
                        "10 SQL byok true");
    }

    @Test
    void reopeningAppliesNothingAgain() throws SQLException {
        Path file = dir.resolve("again.db");
        SqliteStorage.open(file).close();
        List<String> once = history(file);

        SqliteStorage.open(file).close();
        SqliteStorage.open(file).close();

        assertThat(history(file)).isEqualTo(once);
    }

    @Test
    void aDatabaseFromBeforeFlywayKeepsItsRowsAndGetsTheLaterVersions() throws Exception {
        Path file = dir.resolve("legacy.db");
        createAsBeforeFlyway(file);
        execute(
                file,
                "INSERT INTO api_keys (hash, name, label, disabled, management, created_at, updated_at)"
                        + " VALUES ('k', 'old key', 'sk-sb-v1-old...key', 0, 0, '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')");
        insertGeneration(file, "old-1", "k", "2026-10-31T23:59:59.999Z", "0.1");
        insertGeneration(file, "old-2", "k", "2026-11-16T00:00:00Z", "0.000000000000000001");
        insertGeneration(file, "old-3", "k", "2026-11-22T00:00:00.5Z", "0.25");
        insertGeneration(file, "old-4", "k", "2026-11-22T07:00:00Z", "0");
        insertGeneration(file, "old-5", "other", "2026-11-22T07:00:00Z", "7");

        try (SqliteStorage storage = SqliteStorage.open(file)) {
            assertThat(storage.keys().find("k"))
                    .hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("old key"));
            assertThat(storage.generations().find("old-1"))
                    .hasValueSatisfying(r -> assertThat(r.attempts())
                            .as("records from before attempts were kept list none")
                            .isEmpty());
            UsageTotals usage = usage(storage, "k");
            assertThat(usage.total()).isEqualByComparingTo("0.350000000000000001");
            assertThat(usage.monthly()).isEqualByComparingTo("0.250000000000000001");
            assertThat(usage.weekly()).isEqualByComparingTo("0.250000000000000001");
            assertThat(usage.daily()).isEqualByComparingTo("0.25");
            assertThat(usage(storage, "other").total()).isEqualByComparingTo("7");

            storage.generations()
                    .insertAll(List.of(StorageFixtures.generation(
                            "new-1", "k", NOV_22.day().plusSeconds(60), "1")));
            assertThat(usage(storage, "k").daily())
                    .as("later records are added to the filled-in totals")
                    .isEqualByComparingTo("1.25");
        }
        assertThat(history(file))
                .containsExactly(
                        "1 BASELINE schema made before Flyway (user_version 1) true",
                        "2 JDBC key usage totals per UTC day and lifetime true",
                        "3 SQL provider responses true",
                        "4 SQL presets true",
                        "5 SQL accounts true",
                        "6 SQL rate limits true",
                        "7 JDBC activity and app totals true",
                        "9 SQL io logs true",
                        "10 SQL byok true");
        assertThat(SqliteStorageTest.query(file, "SELECT requests FROM key_usage_lifetime WHERE key_hash = 'k'"))
                .containsExactly("5");
    }

    @Test
    void version7FillsTheReportTotalsFromTheRecordsAlreadyStoredExactly() throws Exception {
        Path file = dir.resolve("v5.db");
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        SqliteMigrations.configuration(dataSource, 0).target("5").load().migrate();
        insertGeneration(file, "old-1", "k", "2026-11-21T23:59:59.999Z", "0.1");
        insertGeneration(file, "old-2", "k", "2026-11-22T00:00:00Z", "0.000000000000000001");
        insertGeneration(file, "old-3", "k", "2026-11-22T07:00:00Z", "0.25");
        execute(file, "UPDATE generations SET http_referer = 'https://App.example/', app_title = 'Old App'");
        execute(file, "UPDATE generations SET provider_slug = '' WHERE id = 'old-1'");

        try (SqliteStorage storage = SqliteStorage.open(file)) {
            List<ActivityRow> rows = storage.reports()
                    .activity(new ActivityQuery(
                            LocalDate.parse("2026-11-21"),
                            LocalDate.parse("2026-11-22"),
                            Optional.empty(),
                            Optional.empty()));

            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.date()).isEqualTo(LocalDate.parse("2026-11-22"));
                assertThat(row.workspaceId()).isEqualTo("default");
                assertThat(row.counts().usage()).isEqualByComparingTo("0.250000000000000001");
                assertThat(row.counts().requests()).isEqualTo(2);
                assertThat(row.counts().promptTokens()).isEqualTo(20);
            });
            assertThat(storage.reports().apps(LocalDate.parse("2026-11-16"), LocalDate.parse("2026-11-22"), 10))
                    .singleElement()
                    .satisfies(app -> {
                        assertThat(app.app()).isEqualTo("https://app.example");
                        assertThat(app.title()).contains("Old App");
                        assertThat(app.requests()).isEqualTo(3);
                        assertThat(app.totalTokens()).isEqualTo(90);
                    });
            assertThat(storage.generations().find("old-3")).hasValueSatisfying(r -> {
                assertThat(r.workspaceId()).isEqualTo("default");
                assertThat(r.byok()).isFalse();
                assertThat(r.cacheDiscount()).isEmpty();
                assertThat(r.appCategories()).isEmpty();
            });
        }
    }

    @Test
    void theVersionThatSkipsFlywayIsTheNewestMigration() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("info.db"));

        MigrationInfo[] migrations =
                SqliteMigrations.configuration(dataSource, 0).load().info().all();

        assertThat(migrations).isNotEmpty();
        assertThat(migrations[migrations.length - 1].getVersion().getVersion())
                .isEqualTo(SqliteMigrations.LATEST_VERSION);
    }

    @Test
    void aFailedMigrationInTheHistoryIsReportedNotSkipped() throws SQLException {
        Path file = dir.resolve("failed.db");
        SqliteStorage.open(file).close();
        execute(file, "UPDATE flyway_schema_history SET success = 0 WHERE version = '2'");

        assertThatThrownBy(() -> SqliteStorage.open(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("schema migration failed: ")
                .hasMessageContaining("failed migration to version 2");
    }

    @Test
    void refusesADatabaseWithTablesButNoSchemaVersion() throws SQLException {
        Path file = dir.resolve("foreign.db");
        execute(file, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");

        assertThatThrownBy(() -> SqliteStorage.open(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("schema migration failed: ");
        assertThat(SqliteStorageTest.query(file, "SELECT name FROM sqlite_master WHERE type = 'table'"))
                .containsExactly("notes");
    }

    @Test
    void refusesAVersionTheHandWrittenMigrationsNeverSet() throws SQLException {
        Path file = dir.resolve("future.db");
        execute(file, "PRAGMA user_version = 7");

        assertThatThrownBy(() -> SqliteStorage.open(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema version 7");
    }

    private static UsageTotals usage(SqliteStorage storage, String keyHash) {
        return storage.generations().usage(keyHash, NOV_22.day(), NOV_22.week(), NOV_22.month());
    }

    /**
     * Makes a database the way the gateway did before Flyway: the first script, split at each
     * {@code ;} that ends a line and run in one transaction, then {@code PRAGMA user_version = 1}.
     */
    private static void createAsBeforeFlyway(Path file) throws SQLException, IOException {
        String script;
        try (InputStream in = SqliteMigrationsTest.class
                .getClassLoader()
                .getResourceAsStream("db/sqlite/V1__keys_and_generations.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            c.setAutoCommit(false);
            for (String sql : script.split(";\\s*\\n", -1)) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA user_version = 1");
            c.commit();
        }
    }

    private static void insertGeneration(Path file, String id, String keyHash, String createdAt, String cost)
            throws SQLException {
        execute(
                file,
                "INSERT INTO generations (id, created_at, key_hash, model, provider_slug, provider_name, upstream_id,"
                        + " streamed, cancelled, tokens_prompt, tokens_completion, tokens_cached, tokens_reasoning, cost, latency_ms,"
                        + " generation_ms, ttft_ms, status, usage_estimated) VALUES ('" + id + "', '" + createdAt
                        + "', '" + keyHash
                        + "', 'acme/chat', 'mock', 'Mock Cloud', 'x', 0, 0, 10, 20, 0, 0, '" + cost
                        + "', 1, 1, 1, 200, 0)");
    }

    /** Each applied migration as "version type description success", in order. */
    private static List<String> history(Path file) throws SQLException {
        return SqliteStorageTest.query(
                file,
                "SELECT version || ' ' || type || ' ' || description || ' '"
                        + " || CASE success WHEN 1 THEN 'true' ELSE 'false' END FROM flyway_schema_history ORDER BY installed_rank");
    }

    private static void execute(Path file, String sql) throws SQLException {
        SqliteStorageTest.execute(file, sql);
    }
}
