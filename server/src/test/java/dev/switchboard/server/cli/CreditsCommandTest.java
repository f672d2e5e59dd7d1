package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.store.sqlite.SqliteStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code switchboard credits grant}: into the database the configuration names, once per id. */
class CreditsCommandTest {
    @TempDir
    Path dir;

    private int grant(String... args) {
        return new CommandLine(new CreditsCommand()).execute(args);
    }

    @Test
    void grantsOncePerIdAndRefusesWhatIsNotAnAmount() {
        String dataDir = dir.resolve("data").toString();

        assertThat(grant("grant", "25.50", "--id", "inv-1", "--data-dir", dataDir))
                .isZero();
        assertThat(grant("grant", "25.50", "--id", "inv-1", "--data-dir", dataDir))
                .isZero();
        assertThat(grant("grant", "30", "--id", "inv-1", "--data-dir", dataDir)).isEqualTo(1);
        assertThat(grant("grant", "-5", "--data-dir", dataDir)).isEqualTo(2);
        assertThat(grant("grant", "lots", "--data-dir", dataDir)).isEqualTo(2);
        assertThat(grant("grant", "1E-999999999", "--data-dir", dataDir)).isEqualTo(2);

        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("data/switchboard.db"))) {
            assertThat(storage.credits().credits("default")).isEqualByComparingTo("25.5");
        }
    }
}
