package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.storage.IoLogStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logged content on a real SQLite file: stored once, found, deleted, and swept by age. */
class SqliteIoLogStoreTest {
    @TempDir
    Path dir;

    private static IoLogStore.Entry entry(String id, String at) {
        return new IoLogStore.Entry(id, Instant.parse(at), "k", "default", "{\"messages\":[]}", "hello", false);
    }

    @Test
    void storesOnceFindsDeletesAndSweepsByAge() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("io.db"))) {
            IoLogStore store = storage.ioLogs();
            store.insert(entry("old", "2026-11-01T00:00:00Z"));
            store.insert(entry("new", "2026-12-05T10:00:00.5Z"));
            store.insert(entry("new", "2026-12-05T11:00:00Z"));

            assertThat(store.find("new"))
                    .hasValueSatisfying(
                            e -> assertThat(e.createdAt()).isEqualTo(Instant.parse("2026-12-05T10:00:00.5Z")));
            assertThat(store.deleteBefore(Instant.parse("2026-12-05T10:00:00.4Z")))
                    .isEqualTo(1);
            assertThat(store.find("old")).isEmpty();
            assertThat(store.delete("new")).isTrue();
            assertThat(store.delete("new")).isFalse();
            assertThat(entry("x", "2026-12-05T10:00:00Z").toString()).doesNotContain("hello");
        }
    }
}
