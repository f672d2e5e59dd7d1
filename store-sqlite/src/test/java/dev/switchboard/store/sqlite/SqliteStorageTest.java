package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.storage.Storage;
import dev.switchboard.core.storage.StorageFactory;
import dev.switchboard.core.storage.StorageFixtures;
import dev.switchboard.core.storage.StorageOptions;
import dev.switchboard.core.storage.StorageUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a database file: its directories, schema and WAL mode; reopening; opening by storage URL. */
class SqliteStorageTest {
    @TempDir
    Path dir;

    @Test
    void createsTheFileWithItsDirectoriesAndTheSchema() throws SQLException {
        Path file = dir.resolve("nested/deeper/switchboard.db");

        try (SqliteStorage storage = SqliteStorage.open(file)) {
            assertThat(storage.describe()).isEqualTo("SQLite " + file.toAbsolutePath());
        }

        assertThat(file).exists();
        assertThat(query(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
                .containsExactly(
                        "activity_daily",
                        "api_keys",
                        "app_usage_daily",
                        "apps",
                        "byok_keys",
                        "credit_entries",
                        "flyway_schema_history",
                        "generations",
                        "io_logs",
                        "key_usage_daily",
                        "key_usage_lifetime",
                        "preset_versions",
                        "presets");
        assertThat(query(file, "SELECT name FROM pragma_table_info('api_keys') ORDER BY cid"))
                .as("a key's own rate limit (version 6)")
                .endsWith("requests_per_minute", "tokens_per_minute");
        assertThat(query(file, "SELECT name FROM pragma_table_info('generations') ORDER BY cid"))
                .containsExactly(
                        "id",
                        "created_at",
                        "key_hash",
                        "model",
                        "provider_slug",
                        "provider_name",
                        "upstream_id",
                        "streamed",
                        "cancelled",
                        "finish_reason",
                        "native_finish_reason",
                        "tokens_prompt",
                        "tokens_completion",
                        "tokens_cached",
                        "tokens_reasoning",
                        "cost",
                        "latency_ms",
                        "generation_ms",
                        "ttft_ms",
                        "http_referer",
                        "app_title",
                        "end_user",
                        "status",
                        "error_type",
                        "usage_estimated",
                        "provider_responses",
                        "preset_id",
                        "workspace_id",
                        "app_categories",
                        "is_byok",
                        "upstream_inference_cost",
                        "cache_discount");
    }

    @Test
    void usesWriteAheadLogging() throws SQLException {
        Path file = dir.resolve("wal.db");
        try (SqliteStorage ignored = SqliteStorage.open(file)) {
            assertThat(query(file, "PRAGMA journal_mode")).containsExactly("wal");
        }
    }

    @Test
    void reopeningKeepsDataAndDoesNotMigrateAgain() {
        Path file = dir.resolve("reopen.db");
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            storage.keys().insert(StorageFixtures.key("a", StorageFixtures.T0));
            storage.generations()
                    .insertAll(List.of(StorageFixtures.generation("gen-1", "a", StorageFixtures.T0, "0.5")));
        }

        for (int i = 0; i < 3; i++) {
            try (SqliteStorage storage = SqliteStorage.open(file)) {
                assertThat(storage.keys().all()).hasSize(1);
                assertThat(storage.generations().find("gen-1")).isPresent();
            }
        }
    }

    @Test
    void theBackendOpensASqliteUrlWithTheGivenOptions() throws Exception {
        Path file = dir.resolve("url.db");
        StorageFactory factory = StorageFactory.of(List.of(new SqliteBackend()));

        try (Storage storage = factory.open("sqlite:" + file, StorageOptions.DEFAULTS)) {
            storage.keys().insert(StorageFixtures.key("a", StorageFixtures.T0));
            assertThat(storage.describe()).isEqualTo("SQLite " + file.toAbsolutePath());
            Files.delete(file);
        }

        assertThatThrownBy(() -> factory.open("sqlite:" + file, StorageOptions.DEFAULTS))
                .as("files of the lost database are still there")
                .hasMessageContaining("--allow-new-database");
        factory.open("sqlite:" + file, new StorageOptions(true)).close();
        assertThat(file).exists();
    }

    @Test
    void theBackendRefusesOtherSchemes() {
        assertThatThrownBy(() -> new SqliteBackend()
                        .open(StorageUrl.parse("postgresql://localhost/switchboard"), StorageOptions.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failsClearlyWhenTheDirectoryCannotBeCreated() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> SqliteStorage.open(blocker.resolve("switchboard.db")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data directory");
    }

    static List<String> query(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    static void execute(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
