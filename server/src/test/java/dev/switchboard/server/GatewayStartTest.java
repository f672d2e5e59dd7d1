package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.Overrides;
import dev.switchboard.provider.ProviderAdapters;
import dev.switchboard.store.sqlite.SqliteStorage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting the gateway when something is in the way: each failure is a {@link StartupFailure} with a
 * one-line message saying what to change, and a failed start leaves no keys behind, so the one-time
 * secrets of a first start are not used up.
 */
class GatewayStartTest {
    private static final String ADMIN = "sk-sb-v1-gateway-start-test-admin-0123456789";

    @TempDir
    Path directory;

    @Test
    void refusesAPortThatIsTakenAndCreatesNoKeys() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            StartupFailure failure = catchThrowableOfType(
                    StartupFailure.class,
                    () -> Gateway.start(
                            config("127.0.0.1", taken.getLocalPort(), directory.resolve("data")),
                            Optional.empty(),
                            Clock.systemUTC()));

            assertThat(failure.getMessage())
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("--port");
        }
        assertThat(storedKeys(directory.resolve("data"))).isZero();
    }

    @Test
    void refusesAHostThatIsNotAnAddress() {
        StartupFailure failure = catchThrowableOfType(
                StartupFailure.class,
                () -> Gateway.start(
                        config("no-such-host.invalid", 0, directory.resolve("data")),
                        Optional.empty(),
                        Clock.systemUTC()));

        assertThat(failure.getMessage()).contains("no-such-host.invalid").contains("not a known address");
    }

    @Test
    void reportsADataDirectoryThatCannotBeCreated() throws IOException {
        Path file = Files.writeString(directory.resolve("a-file"), "not a directory");

        StartupFailure failure = catchThrowableOfType(
                StartupFailure.class,
                () -> Gateway.start(config("127.0.0.1", 0, file.resolve("data")), Optional.empty(), Clock.systemUTC()));

        assertThat(failure.getMessage())
                .startsWith("cannot use the data directory ")
                .contains("a-file")
                .contains("Not a directory");
    }

    @Test
    void refusesASecondGatewayOnTheSameDataDirectoryAndStartsAfterTheFirstStops() {
        Path data = directory.resolve("shared-data");
        Gateway first = Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC());
        try {
            StartupFailure failure = catchThrowableOfType(
                    StartupFailure.class,
                    () -> Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC()));

            assertThat(failure.getMessage())
                    .contains("in use by another process")
                    .contains("data directory");
        } finally {
            first.close();
        }
        Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC())
                .close();
    }

    @Test
    void reportsADatabaseFileThatIsNotSqlite() throws IOException {
        Path data = Files.createDirectories(directory.resolve("data"));
        Files.writeString(data.resolve("switchboard.db"), "this is not an SQLite database, just text ".repeat(200));

        StartupFailure failure = catchThrowableOfType(
                StartupFailure.class,
                () -> Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC()));

        assertThat(failure.getMessage()).startsWith("cannot open the database sqlite:");
    }

    @Test
    void refusesAShortAdminKeyAndReleasesThePort() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        GatewayConfig config = config("127.0.0.1", port, directory.resolve("data"));

        StartupFailure failure = catchThrowableOfType(
                StartupFailure.class, () -> Gateway.start(config, Optional.of("short-secret"), Clock.systemUTC()));

        assertThat(failure.getMessage())
                .contains("SWITCHBOARD_ADMIN_KEY must be at least")
                .doesNotContain("short-secret");
        try (Gateway again = Gateway.start(config, Optional.of(ADMIN), Clock.systemUTC())) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void firstStartCreatesAManagementKeyAndAnApiKeyOnce() {
        Path data = directory.resolve("data");
        try (Gateway first = Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC())) {
            assertThat(first.createdKeys()).hasSize(2);
            assertThat(first.createdKeys().get(0).key().management()).isTrue();
            assertThat(first.createdKeys().get(1).key().management()).isFalse();
            assertThat(first.banner())
                    .contains(first.createdKeys().get(0).secret())
                    .contains(first.createdKeys().get(1).secret());
        }
        try (Gateway second = Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC())) {
            assertThat(second.createdKeys()).isEmpty();
            assertThat(second.banner()).doesNotContain("shown once");
        }
    }

    @Test
    void theSimulatorStandsInOnlyWhenNoProviderHasCredentialsAndSaysSo() {
        try (Gateway simulated =
                Gateway.start(config("127.0.0.1", 0, directory.resolve("a")), Optional.of(ADMIN), Clock.systemUTC())) {
            assertThat(simulated.simulated()).isTrue();
            assertThat(simulated.banner()).contains("SIMULATOR").contains("SIMULATED, not from a real model");
        }
        GatewayConfig withKey =
                load(Map.of("OPENAI_API_KEY", "sk-test-not-used"), "127.0.0.1", 0, directory.resolve("b"));
        try (Gateway real = Gateway.start(withKey, Optional.of(ADMIN), Clock.systemUTC())) {
            assertThat(real.simulated()).isFalse();
            assertThat(real.banner()).doesNotContain("SIMULATOR").contains("providers available: openai");
        }
    }

    @Test
    void refusesToStartOverTheLeftoversOfADatabaseDeletedWhileInUse() throws IOException {
        Path data = directory.resolve("data");
        try (Gateway first = Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC())) {
            assertThat(first.createdKeys()).hasSize(2);
            Files.delete(data.resolve("switchboard.db"));
        }

        StartupFailure failure = catchThrowableOfType(
                StartupFailure.class,
                () -> Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC())
                        .close());

        assertThat(failure)
                .as("a second start must not silently begin a new database")
                .isNotNull();
        assertThat(failure.getMessage())
                .contains("switchboard.db is missing")
                .contains("switchboard.db-wal")
                .contains("--allow-new-database")
                .doesNotContain("\n");
        assertThat(data.resolve("switchboard.db")).doesNotExist();
    }

    @Test
    void startsANewDatabaseOverTheLeftoversOnlyWhenAllowedAndDeletesNothing() throws IOException {
        Path data = directory.resolve("data");
        try (Gateway first = Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC())) {
            Files.delete(data.resolve("switchboard.db"));
        }
        GatewayConfig allowed = new ConfigLoader(Map.of(), ProviderAdapters.KINDS, StorageBackends.FACTORY.schemes())
                .load(
                        Optional.empty(),
                        new Overrides(Optional.of("127.0.0.1"), Optional.of(0), Optional.of(data), true));

        try (Gateway fresh = Gateway.start(allowed, Optional.empty(), Clock.systemUTC())) {
            assertThat(fresh.createdKeys()).as("a new database, so new keys").hasSize(2);
        }

        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .anyMatch(name -> name.startsWith("switchboard.db-wal.stale-"))
                    .anyMatch(name -> name.startsWith("switchboard.db.recovered-"));
        }
    }

    @Test
    void aDatabaseDeletedWhileInUseIsRestoredFromTheCopySavedAtShutdown() throws Exception {
        Path data = directory.resolve("data");
        String managementKey;
        try (Gateway first = Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC())) {
            managementKey = first.createdKeys().getFirst().secret();
            Files.delete(data.resolve("switchboard.db"));
            assertThat(createKey(first, managementKey))
                    .as("written to the deleted file")
                    .isEqualTo(201);
        }
        Path copy;
        try (var files = Files.list(data)) {
            copy = files.filter(p -> p.getFileName().toString().startsWith("switchboard.db.recovered-"))
                    .findFirst()
                    .orElseThrow();
        }

        // What the log line tells the operator to do.
        Files.move(data.resolve("switchboard.db-wal"), directory.resolve("old-wal"));
        Files.move(data.resolve("switchboard.db-shm"), directory.resolve("old-shm"));
        Files.move(copy, data.resolve("switchboard.db"));

        try (Gateway restored = Gateway.start(config("127.0.0.1", 0, data), Optional.empty(), Clock.systemUTC())) {
            assertThat(restored.createdKeys())
                    .as("the old keys are back, so none are created")
                    .isEmpty();
            assertThat(createKey(restored, managementKey))
                    .as("the old management key works")
                    .isEqualTo(201);
        }
        assertThat(storedKeys(data)).isEqualTo(4);
    }

    private static int createKey(Gateway gateway, String managementKey) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/keys"))
                    .header("Authorization", "Bearer " + managementKey)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"made later\"}"))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    private static GatewayConfig config(String host, int port, Path dataDir) {
        return load(Map.of(), host, port, dataDir);
    }

    private static GatewayConfig load(Map<String, String> env, String host, int port, Path dataDir) {
        return new ConfigLoader(env, ProviderAdapters.KINDS, StorageBackends.FACTORY.schemes())
                .load(Optional.empty(), new Overrides(Optional.of(host), Optional.of(port), Optional.of(dataDir)));
    }

    private static int storedKeys(Path dataDir) {
        Path db = dataDir.resolve("switchboard.db");
        if (!Files.exists(db)) {
            return 0;
        }
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            return storage.keys().all().size();
        }
    }
}
