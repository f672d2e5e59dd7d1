package dev.switchboard.store.sqlite;

import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.storage.KeyStore;
import dev.switchboard.core.storage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteKeyStoreTest {
    @TempDir
    Path dir;
    private SqliteStorage storage;
    private KeyStore keys;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("keys.db"));
        keys = storage.keys();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void insertedKeyIsFoundWithEveryField() {
        Instant created = Instant.parse("2025-03-19T12:34:56.789123Z");
        ApiKey key = new ApiKey("a".repeat(64), "admin", "sk-sb-v1-3f2...9ab", true, true, created, created.plusSeconds(5));

        keys.insert(key);

        assertThat(keys.find(key.hash())).contains(key);
        assertThat(keys.find("b".repeat(64))).isEmpty();
    }

    @Test
    void insertingTheSameHashTwiceFails() {
        keys.insert(Fixtures.key("a", Fixtures.T0));

        assertThatThrownBy(() -> keys.insert(Fixtures.key("a", Fixtures.T0))).isInstanceOf(StorageException.class);
        assertThat(keys.all()).hasSize(1);
    }

    @Test
    void listsAllKeysOldestFirst() {
        ApiKey middle = Fixtures.key("middle", Fixtures.T0.plusSeconds(60));
        ApiKey newest = Fixtures.key("newest", Fixtures.T0.plusSeconds(3600));
        ApiKey oldest = Fixtures.key("oldest", Fixtures.T0);
        keys.insert(middle);
        keys.insert(newest);
        keys.insert(oldest);

        assertThat(keys.all()).containsExactly(oldest, middle, newest);
    }

    @Test
    void ordersKeysCreatedWithinOneSecondByTheirInstant() {
        ApiKey whole = Fixtures.key("whole", Instant.parse("2025-03-19T12:00:00Z"));
        ApiKey millis = Fixtures.key("millis", Instant.parse("2025-03-19T12:00:00.123Z"));
        ApiKey micros = Fixtures.key("micros", Instant.parse("2025-03-19T12:00:00.123456Z"));
        ApiKey later = Fixtures.key("later", Instant.parse("2025-03-19T12:00:00.5Z"));
        keys.insert(later);
        keys.insert(micros);
        keys.insert(millis);
        keys.insert(whole);

        assertThat(keys.all()).containsExactly(whole, millis, micros, later);
    }

    @Test
    void updateChangesNameDisabledAndUpdatedAtOnly() {
        ApiKey key = Fixtures.key("a", Fixtures.T0);
        keys.insert(key);
        ApiKey changed = new ApiKey(key.hash(), "renamed", "tampered-label", true, true, Fixtures.T0.plusSeconds(1),
                Fixtures.T0.plus(Duration.ofMinutes(5)));

        assertThat(keys.update(changed)).isTrue();

        ApiKey stored = keys.find(key.hash()).orElseThrow();
        assertThat(stored.name()).isEqualTo("renamed");
        assertThat(stored.disabled()).isTrue();
        assertThat(stored.updatedAt()).isEqualTo(Fixtures.T0.plus(Duration.ofMinutes(5)));
        assertThat(stored.label()).as("immutable").isEqualTo(key.label());
        assertThat(stored.management()).as("immutable").isFalse();
        assertThat(stored.createdAt()).as("immutable").isEqualTo(Fixtures.T0);
    }

    @Test
    void updatingAMissingKeyReportsFalse() {
        assertThat(keys.update(Fixtures.key("ghost", Fixtures.T0))).isFalse();
        assertThat(keys.all()).isEmpty();
    }

    @Test
    void deleteRemovesTheKeyAndReportsWhetherItExisted() {
        ApiKey key = Fixtures.key("a", Fixtures.T0);
        keys.insert(key);
        keys.insert(Fixtures.key("b", Fixtures.T0));

        assertThat(keys.delete(key.hash())).isTrue();
        assertThat(keys.delete(key.hash())).isFalse();
        assertThat(keys.find(key.hash())).isEmpty();
        assertThat(keys.all()).extracting(ApiKey::name).containsExactly("b");
    }

    @Test
    void keysSurviveReopening() {
        ApiKey key = Fixtures.key("a", Fixtures.T0);
        keys.insert(key);
        storage.close();

        storage = SqliteStorage.open(dir.resolve("keys.db"));

        assertThat(storage.keys().find(key.hash())).contains(key);
    }
}
