package dev.switchboard.server.iolog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Prompts and completions are stored only for the workspaces and keys that opted in: without it the
 * database files never hold a prompt; with it the content can be read by its key or a management key,
 * and deleted.
 */
class IoLoggingTest {
    private static String ask(GatewayHarness gateway, String marker) {
        HttpResponse<String> response = gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/chat-small\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                        + marker + "\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response).path("id").asText();
    }

    @Test
    void withoutOptingInNoPromptIsEverStored() throws IOException {
        String marker = "zebra-quasar-" + System.nanoTime();
        try (GatewayHarness gateway = GatewayHarness.start()) {
            String id = ask(gateway, marker);
            assertThat(gateway.get("/generation?id=" + id, gateway.apiKey()).statusCode())
                    .as("the request's record is stored")
                    .isEqualTo(200);
            assertThat(gateway.get("/generation/content?id=" + id, GatewayHarness.ADMIN_KEY)
                            .statusCode())
                    .isEqualTo(404);
            try (Stream<Path> files = Files.walk(gateway.dataDirectory())) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                            .as(file.toString())
                            .doesNotContain(marker);
                }
            }
        }
    }

    @Test
    void aWorkspaceThatOptedInHasItsContentStoredReadableByItsKeyAndDeletable() throws Exception {
        String marker = "otter-nebula-" + System.nanoTime();
        try (GatewayHarness gateway =
                GatewayHarness.start(Map.of(), "io_logging:\n  workspaces: [default]\n  retention: 24h\n")) {
            String id = ask(gateway, marker);
            HttpResponse<String> content = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                content = gateway.get("/generation/content?id=" + id, gateway.apiKey());
                if (content.statusCode() == 200) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(content).isNotNull();
            assertThat(content.statusCode()).as(content.body()).isEqualTo(200);
            JsonNode data = GatewayHarness.json(content).path("data");
            assertThat(data.path("input").asText()).contains(marker);
            assertThat(data.path("output").asText()).isNotEmpty();
            assertThat(data.path("truncated").asBoolean()).isFalse();

            String other = gateway.createKey("someone else");
            assertThat(gateway.get("/generation/content?id=" + id, other).statusCode())
                    .isEqualTo(404);
            assertThat(gateway.send("DELETE", "/generation/content?id=" + id, gateway.apiKey(), null, Map.of())
                            .statusCode())
                    .isEqualTo(403);
            assertThat(gateway.send("DELETE", "/generation/content?id=" + id, GatewayHarness.ADMIN_KEY, null, Map.of())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(gateway.get("/generation/content?id=" + id, GatewayHarness.ADMIN_KEY)
                            .statusCode())
                    .isEqualTo(404);
            assertThat(gateway.get("/generation/content", GatewayHarness.ADMIN_KEY)
                            .statusCode())
                    .isEqualTo(400);
        }
    }
}
