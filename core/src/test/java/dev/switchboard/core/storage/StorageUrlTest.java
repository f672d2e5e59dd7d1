package dev.switchboard.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Storage URLs split into scheme and location, and nothing else interpreted. */
class StorageUrlTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "sqlite:data/switchboard.db | sqlite | data/switchboard.db",
                "sqlite:/var/lib/switchboard/db:2 | sqlite | /var/lib/switchboard/db:2",
                "SQLite:C:\\data\\switchboard.db | sqlite | C:\\data\\switchboard.db",
                "postgresql://user:secret@db.internal:5432/switchboard | postgresql | //user:secret@db.internal:5432/switchboard"
            })
    void splitsAtTheFirstColonAndLowerCasesTheScheme(String url, String scheme, String location) {
        assertThat(StorageUrl.parse(url)).isEqualTo(new StorageUrl(scheme, location));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "data/switchboard.db", "sqlite:", "C:\\data\\switchboard.db", ":memory:", "1db:x"})
    void refusesTextWithoutSchemeOrLocation(String url) {
        assertThatThrownBy(() -> StorageUrl.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("must be SCHEME:LOCATION");
    }

    @Test
    void neverShowsTheLocationWhichMayHoldAPassword() {
        assertThat(StorageUrl.parse("postgresql://user:secret@db/switchboard")).hasToString("postgresql:...");
    }
}
