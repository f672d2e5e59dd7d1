package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A conversation too long for an endpoint of 8,192 tokens reaches it shortened from the middle (on by
 * default at that size), and is refused with context_length_exceeded when the client turns compression
 * off.
 */
class ContextCompressionRoutingTest {
    private static String conversation(String extra) {
        StringBuilder messages = new StringBuilder("{\"role\":\"system\",\"content\":\"Be brief.\"}");
        for (int i = 0; i < 30; i++) {
            messages.append(",{\"role\":\"")
                    .append(i % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":\"")
                    .append(("turn" + i + " ").repeat(200))
                    .append("\"}");
        }
        messages.append(",{\"role\":\"user\",\"content\":\"And the answer?\"}");
        return "{\"model\":\"acme/chat-priced\",\"max_tokens\":16" + extra + ",\"messages\":[" + messages + "]}";
    }

    @Test
    void aLongConversationIsShortenedFromTheMiddleForASmallContext() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            HttpResponse<String> response = gateway.post("/chat/completions", conversation(""));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode sent = gateway.simulator().stats().lastRequestBody().orElseThrow();
            JsonNode messages = sent.path("messages");
            assertThat(messages.size()).isLessThan(32);
            assertThat(messages.get(0).path("content").asText()).isEqualTo("Be brief.");
            assertThat(messages.get(messages.size() - 1).path("content").asText())
                    .isEqualTo("And the answer?");
        }
    }

    @Test
    void turnedOffTheSameConversationIsRefusedAsTooLong() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            HttpResponse<String> response = gateway.post("/chat/completions", conversation(",\"transforms\":[]"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(GatewayHarness.json(response)
                            .path("error")
                            .path("message")
                            .asText())
                    .startsWith("This endpoint's maximum context length is 8192 tokens");
            assertThat(gateway.simulator().stats().requestsReceived()).isZero();
        }
    }
}
