package dev.switchboard.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code timeouts.total} through the whole gateway, with the first-byte and idle limits set far above
 * it so that only the total limit can fire: a non-streaming answer that takes longer gets 504; a stream
 * that is still going when the limit passes ends with an in-band error chunk ({@code error} object,
 * {@code finish_reason: "error"}) and then {@code [DONE]}.
 */
class TotalTimeoutTest {
    private static final String MESSAGE = "The provider did not finish in time";
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(
                Map.of(
                        "SWITCHBOARD_TIMEOUTS_TOTAL", "1500ms",
                        "SWITCHBOARD_TIMEOUTS_FIRST_BYTE", "30s",
                        "SWITCHBOARD_TIMEOUTS_IDLE", "30s"),
                "");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void answers504WhenANonStreamedAnswerTakesLongerThanTheTotalTimeout() {
        HttpResponse<String> response = gateway.post("/chat/completions", """
                {"model":"acme/chat-small","messages":[{"role":"user","content":"hi"}],"simulator":{"ttft_ms":6000}}
                """);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        JsonNode error = GatewayHarness.json(response).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(504);
        assertThat(error.path("message").asText()).isEqualTo(MESSAGE);
        assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(error.path("metadata").path("error_type").asText()).isEqualTo("timeout");
    }

    @Test
    void endsAStreamStillGoingAtTheTotalTimeoutWithAnInBandErrorThenDone() {
        StreamedResponse stream = gateway.stream("""
                {"model":"acme/chat-small","stream":true,"messages":[{"role":"user","content":"hi"}],
                 "simulator":{"output_tokens":60,"tokens_per_second":5}}
                """, Map.of());

        assertThat(stream.status()).isEqualTo(200);
        long content = stream.chunks().stream()
                .filter(c -> c.path("choices").path(0).path("delta").has("content"))
                .count();
        assertThat(content).as("tokens relayed before the limit").isPositive().isLessThan(60);
        assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
        JsonNode chunk = stream.chunks().getLast();
        assertThat(chunk.path("error").path("code").asInt())
                .as("in-band error in %s", chunk)
                .isEqualTo(504);
        assertThat(chunk.path("error").path("message").asText()).isEqualTo(MESSAGE);
        assertThat(chunk.path("error").path("metadata").path("error_type").asText())
                .isEqualTo("timeout");
        assertThat(chunk.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
        assertThat(chunk.path("id").asText()).isEqualTo(stream.header("X-Generation-Id"));
    }
}
