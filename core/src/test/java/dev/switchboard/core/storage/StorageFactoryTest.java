package dev.switchboard.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Opening storage by URL scheme with the backends registered, and only those. */
class StorageFactoryTest {
    @Test
    void opensAUrlWithTheBackendOfItsSchemeAndPassesTheOptions() {
        Recording sqlite = new Recording("sqlite");
        Recording postgresql = new Recording("postgresql");
        StorageFactory factory = StorageFactory.of(List.of(sqlite, postgresql));

        assertThatThrownBy(() -> factory.open("postgresql://db/switchboard", new StorageOptions(true)))
                .hasMessage("opened by the test");

        assertThat(postgresql.opened).containsExactly("//db/switchboard allowNewDatabase=true");
        assertThat(sqlite.opened).isEmpty();
        assertThat(factory.schemes()).containsExactly("postgresql", "sqlite");
    }

    @Test
    void anUnknownSchemeNamesTheKnownOnes() {
        StorageFactory factory = StorageFactory.of(List.of(new Recording("sqlite"), new Recording("postgresql")));

        assertThatThrownBy(() -> factory.open("redis://cache/0", StorageOptions.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the scheme redis: is not supported; the supported schemes are postgresql:, sqlite:");
    }

    @Test
    void refusesTwoBackendsForOneScheme() {
        assertThatThrownBy(() -> StorageFactory.of(List.of(new Recording("sqlite"), new Recording("sqlite"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sqlite");
    }

    /** A backend that notes what it was asked to open, then fails, since there is nothing to open. */
    private static final class Recording implements StorageBackend {
        final String scheme;
        final List<String> opened = new ArrayList<>();

        Recording(String scheme) {
            this.scheme = scheme;
        }

        @Override
        public String scheme() {
            return scheme;
        }

        @Override
        public Storage open(StorageUrl url, StorageOptions options) {
            opened.add(url.location() + " allowNewDatabase=" + options.allowNewDatabase());
            throw new IllegalStateException("opened by the test");
        }
    }
}
