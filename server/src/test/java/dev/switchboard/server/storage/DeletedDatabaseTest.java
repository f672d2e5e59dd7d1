package dev.switchboard.server.storage;

import static dev.switchboard.server.storage.RootEndpoints.database;
import static dev.switchboard.server.storage.RootEndpoints.health;
import static dev.switchboard.server.storage.RootEndpoints.metric;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The database file deleted under a running gateway (defect D7): {@code /health} turns 503 and names
 * the problem, a metric says so, requests are still served, and what the open database holds is saved
 * beside it.
 */
class DeletedDatabaseTest {
    private static final String CHAT =
            "{\"model\":\"acme/chat-small\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"hi\"}]}";

    @Test
    void healthAndMetricsReportADatabaseFileDeletedUnderTheGateway() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.start()) {
            HttpResponse<String> healthy = health(gateway);
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(healthy.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(metric(gateway, "switchboard_storage_file_ok")).isEqualTo(1);
            assertThat(gateway.post("/chat/completions", CHAT).statusCode()).isEqualTo(200);

            Files.delete(database(gateway));

            HttpResponse<String> health = health(gateway);
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode body = GatewayHarness.json(health);
            assertThat(body.path("status").asText()).isEqualTo("unavailable");
            assertThat(body.path("problems").get(0).path("code").asText()).isEqualTo("database_file_missing");
            assertThat(body.path("problems").get(0).path("message").asText())
                    .contains("deleted")
                    .doesNotContain(gateway.dataDirectory().toString());
            assertThat(metric(gateway, "switchboard_storage_file_ok")).isZero();
            assertThat(gateway.post("/chat/completions", CHAT).statusCode())
                    .as("requests are still served")
                    .isEqualTo(200);
            assertThat(savedCopies(gateway))
                    .as("a copy of the open database is saved beside it")
                    .isNotEmpty();
        }
    }

    private static List<Path> savedCopies(GatewayHarness gateway) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Stream<Path> files = Files.list(gateway.dataDirectory())) {
                List<Path> copies = files.map(Path::getFileName)
                        .map(Path::toString)
                        .filter(name -> name.startsWith("switchboard.db.recovered-") && !name.endsWith(".tmp"))
                        .map(gateway.dataDirectory()::resolve)
                        .toList();
                if (!copies.isEmpty() || System.nanoTime() > deadline) {
                    return copies;
                }
            }
            Thread.sleep(20);
        }
    }
}
