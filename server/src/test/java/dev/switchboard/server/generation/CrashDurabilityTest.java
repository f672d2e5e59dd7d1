package dev.switchboard.server.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.GatewayProcess;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import dev.switchboard.store.sqlite.SqliteStorage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A response's record is durable before the response's last byte is sent. So a gateway killed with
 * {@code kill -9} right after its clients have their answers loses none of their records: 20 concurrent
 * requests, half streamed, then SIGKILL; the next start stores what the journal kept, and every record
 * is served by {@code GET /generation} and is in the database file after a graceful stop, with no
 * journal left behind. While the requests run, the test holds the database's write lock, so the
 * gateway cannot have stored any of the records by the time it is killed: whatever survives, survived
 * because it was made durable before the response ended, not because the database writer was quick.
 */
class CrashDurabilityTest {
    private static final int REQUESTS = 20;

    @Test
    void everyAnsweredRequestSurvivesKillMinus9() throws Exception {
        Path directory = Files.createTempDirectory("switchboard-crash");
        Path dataDir = directory.resolve("data");
        List<String> ids = new ArrayList<>();
        try (UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorOptions.defaults())) {
            Path config = directory.resolve("switchboard.yaml");
            Files.writeString(config, GatewayProcess.configYaml(simulator.baseUrl(), ""));
            String key;
            try (GatewayProcess gateway = GatewayProcess.start(config, dataDir, List.of());
                    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                key = gateway.createKey("crash");
                Connection writeLock = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("switchboard.db"));
                writeLock.setAutoCommit(false);
                try (Statement begin = writeLock.createStatement()) {
                    begin.execute("INSERT INTO api_keys (hash, name, label, created_at, updated_at)"
                            + " VALUES ('lock', 'lock', 'lock', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
                }
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    boolean stream = i % 2 == 0;
                    answers.add(clients.submit(() -> answer(gateway, key, stream)));
                }
                for (Future<String> answer : answers) {
                    ids.add(answer.get());
                }
                gateway.kill();
                writeLock.rollback();
                writeLock.close();
            }

            try (GatewayProcess restarted = GatewayProcess.start(config, dataDir, List.of())) {
                for (String id : ids) {
                    JsonNode record = restarted.generation(id, key);
                    assertThat(record.path("tokens_completion").asLong()).as(id).isPositive();
                }
            }
        }

        try (SqliteStorage storage = SqliteStorage.open(dataDir.resolve("switchboard.db"))) {
            for (String id : ids) {
                Optional<GenerationRecord> record = storage.generations().find(id);
                assertThat(record).as("record of %s", id).hasValueSatisfying(r -> {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.cancelled()).isFalse();
                    assertThat(r.tokensCompletion()).isPositive();
                    assertThat(r.cost().signum()).isPositive();
                });
            }
        }
        try (Stream<Path> journal = Files.list(dataDir.resolve("journal"))) {
            assertThat(journal.map(f -> f.getFileName().toString()))
                    .as("segments left after a graceful stop")
                    .noneMatch(name -> name.endsWith(".journal"));
        }
    }

    /** Sends one request, reads the whole answer, and returns its generation id. */
    private static String answer(GatewayProcess gateway, String key, boolean stream) throws IOException {
        String body = "{\"model\":\"" + GatewayHarness.MODEL + "\",\"stream\":" + stream
                + ",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        HttpResponse<String> response = gateway.send("POST", "/chat/completions", key, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        if (stream) {
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
        }
        String first = stream
                ? response.body()
                        .lines()
                        .filter(l -> l.startsWith("data: {"))
                        .findFirst()
                        .orElseThrow()
                        .substring(6)
                : response.body();
        JsonNode json = GatewayHarness.json(first);
        return json.path("id").asText();
    }
}
