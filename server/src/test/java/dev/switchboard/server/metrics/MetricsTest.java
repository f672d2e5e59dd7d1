package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} counts routed requests by outcome, failures by type, and tokens. */
class MetricsTest {
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void countsRequestsErrorsAndTokensInPrometheusFormat() throws Exception {
        gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/chat-small\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"simulator\":{\"fault\":\"status\",\"status\":500}}");

        String metrics = scrape();

        assertThat(metrics)
                .contains("switchboard_chat_requests_total{provider=\"mock\",status=\"200\",streamed=\"false\"} 1.0");
        assertThat(metrics)
                .contains("switchboard_chat_requests_total{provider=\"mock\",status=\"502\",streamed=\"false\"} 1.0");
        assertThat(metrics)
                .contains("switchboard_chat_errors_total{error_type=\"provider_unavailable\",provider=\"mock\"} 1.0");
        assertThat(metrics).contains("switchboard_tokens_total{direction=\"completion\"} 3.0");
        assertThat(metrics).contains("switchboard_generation_backlog");
    }

    private static String scrape() throws Exception {
        URI uri = URI.create(gateway.baseUrl().toString().replace("/api/v1", "/metrics"));
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
