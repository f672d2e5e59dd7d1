package dev.switchboard.server.byok;

import static dev.switchboard.server.byok.ByokFixture.GAMMA_ONLY;
import static dev.switchboard.server.byok.ByokFixture.bearer;
import static dev.switchboard.server.byok.ByokFixture.chat;
import static dev.switchboard.server.byok.ByokFixture.createKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.byok.ByokKey;
import dev.switchboard.core.byok.MasterKey;
import dev.switchboard.core.byok.MasterKeys;
import dev.switchboard.server.StartupFailure;
import dev.switchboard.server.cli.Main;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.LogCapture;
import dev.switchboard.store.sqlite.SqliteStorage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The master key across restarts: the same key opens the stored provider keys, a wrong or missing one
 * stops the start with one line that names what to do and no secret (exit 1 from {@code serve}), and a
 * rotation (the old key listed in {@code byok.previous_master_keys}) opens the old keys and seals them
 * again with the new one, after which the old key is no longer needed.
 */
class ByokMasterKeyTest {
    private static final String SECRET = "sk-byok-master-key-test-0123456789abcdef";
    private static final String FIRST = randomKey();
    private static final String SECOND = randomKey();

    @TempDir
    Path dataDir;

    @Test
    void aRestartWithTheSameKeyOpensTheStoredKeys() {
        try (GatewayHarness gateway = start(Map.of("SWITCHBOARD_BYOK_MASTER_KEY", FIRST), "")) {
            createKey(gateway, "gamma", SECRET, "");
        }

        try (GatewayHarness again = start(Map.of("SWITCHBOARD_BYOK_MASTER_KEY", FIRST), "")) {
            assertThat(again.post("/chat/completions", chat(GAMMA_ONLY)).statusCode())
                    .isEqualTo(200);
            assertThat(again.simulator().stats().authorizations()).containsExactly(bearer(SECRET));
        }
        assertThat(sealedWith()).containsOnly(MasterKey.parse(FIRST).id());
    }

    @Test
    void aWrongKeyStopsTheStartWithOneLineAndNoSecret() {
        try (GatewayHarness gateway = start(Map.of("SWITCHBOARD_BYOK_MASTER_KEY", FIRST), "")) {
            createKey(gateway, "gamma", SECRET, "");
        }

        StartupFailure failure = catchThrowableOfType(
                StartupFailure.class,
                () -> start(Map.of("SWITCHBOARD_BYOK_MASTER_KEY", SECOND), "").close());

        assertThat(failure.getMessage())
                .doesNotContain("\n")
                .contains("cannot open the stored BYOK key")
                .contains("sealed with master key " + MasterKey.parse(FIRST).id())
                .contains("byok.previous_master_keys")
                .doesNotContain(SECRET)
                .doesNotContain(FIRST)
                .doesNotContain(SECOND);
        assertThat(failure.getStackTrace()).isEmpty();
    }

    @Test
    void serveExitsWith1AndOneLineWhenTheKeyIsWrong() throws Exception {
        try (GatewayHarness gateway = start(Map.of("SWITCHBOARD_BYOK_MASTER_KEY", FIRST), "")) {
            createKey(gateway, "gamma", SECRET, "");
        }
        Path config = dataDir.resolveSibling(dataDir.getFileName() + "-serve.yaml");
        Files.writeString(
                config,
                ByokFixture.config(java.net.URI.create("http://127.0.0.1:1/v1")) + "byok: { master_key: \"" + SECOND
                        + "\" }\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream console = System.err;
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new Main())
                    .execute("serve", "--config", config.toString(), "--port", "0", "--data-dir", dataDir.toString());
        } finally {
            System.setErr(console);
        }

        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(printed.strip())
                .startsWith("switchboard: cannot open the stored BYOK key")
                .doesNotContain("\n");
        assertThat(printed).doesNotContain(SECRET).doesNotContain(SECOND).doesNotContain("Exception");
    }

    @Test
    void rotatingOpensTheOldKeysSealsThemWithTheNewOneAndThenNeedsOnlyIt() {
        try (GatewayHarness gateway = start(Map.of("SWITCHBOARD_BYOK_MASTER_KEY", FIRST), "")) {
            createKey(gateway, "gamma", SECRET, "");
            createKey(gateway, "alpha", SECRET + "-2", "");
        }

        String logged;
        try (LogCapture logs = LogCapture.start();
                GatewayHarness rotated = start(
                        Map.of("SWITCHBOARD_BYOK_MASTER_KEY", SECOND, "SWITCHBOARD_BYOK_PREVIOUS_MASTER_KEYS", FIRST),
                        "")) {
            assertThat(rotated.post("/chat/completions", chat(GAMMA_ONLY)).statusCode())
                    .isEqualTo(200);
            logged = logs.text();
        }
        assertThat(logged).contains("Sealed 2 BYOK key(s) again with the current master key");
        assertThat(sealedWith()).containsOnly(MasterKey.parse(SECOND).id());

        try (GatewayHarness afterwards = start(Map.of("SWITCHBOARD_BYOK_MASTER_KEY", SECOND), "")) {
            assertThat(afterwards.post("/chat/completions", chat(GAMMA_ONLY)).statusCode())
                    .isEqualTo(200);
            assertThat(afterwards.simulator().stats().authorizations()).containsExactly(bearer(SECRET));
        }
        assertThat(catchThrowableOfType(
                                StartupFailure.class,
                                () -> start(Map.of("SWITCHBOARD_BYOK_MASTER_KEY", FIRST), "")
                                        .close())
                        .getMessage())
                .contains("sealed with master key " + MasterKey.parse(SECOND).id());
    }

    @Test
    void withoutAConfiguredKeyOneIsMadeInTheDataDirectoryOnFirstUseAndMissedIfLost() throws Exception {
        Path file = dataDir.resolve(MasterKeys.DEFAULT_FILE);
        try (GatewayHarness gateway = start(Map.of(), "")) {
            assertThat(file).doesNotExist();
            createKey(gateway, "gamma", SECRET, "");
            assertThat(file).exists();
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        try (GatewayHarness again = start(Map.of(), "")) {
            assertThat(again.post("/chat/completions", chat(GAMMA_ONLY)).statusCode())
                    .isEqualTo(200);
        }
        Files.delete(file);

        StartupFailure failure = catchThrowableOfType(
                StartupFailure.class, () -> start(Map.of(), "").close());

        assertThat(failure.getMessage()).contains("neither the current master key (none yet)");
        assertThat(file)
                .as("no new key is made over keys sealed with a lost one")
                .doesNotExist();
    }

    @Test
    void aConfiguredKeyFileIsUsedAndMustExist() throws Exception {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + "-master.key");
        String yaml = "byok: { master_key_file: \"" + file + "\" }\n";

        StartupFailure missing = catchThrowableOfType(
                StartupFailure.class, () -> start(Map.of(), yaml).close());
        Files.writeString(file, FIRST + "\n");
        try (GatewayHarness gateway = start(Map.of(), yaml)) {
            createKey(gateway, "gamma", SECRET, "");
        }

        assertThat(missing.getMessage()).contains(file.toString()).contains("does not exist");
        assertThat(sealedWith()).containsOnly(MasterKey.parse(FIRST).id());
    }

    private GatewayHarness start(Map<String, String> env, String yaml) {
        return ByokFixture.start(yaml, env, Optional.of(dataDir));
    }

    private List<String> sealedWith() {
        try (SqliteStorage storage = SqliteStorage.open(dataDir.resolve("switchboard.db"))) {
            return storage.byokKeys().all().stream()
                    .map(ByokKey::sealed)
                    .map(s -> s.masterKeyId())
                    .toList();
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[MasterKey.BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
