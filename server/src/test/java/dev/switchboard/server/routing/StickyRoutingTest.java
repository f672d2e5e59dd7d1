package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.testkit.FixedUpstream;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A conversation named by {@code session_id} (or {@code x-session-id}) goes back to the endpoint that
 * answered its first turn, so the provider's prompt cache is read, not written again. The model has two
 * equally priced endpoints whose cache reads are cheaper than their prompts: without stickiness eight
 * turns would land on one endpoint by chance less than once in a hundred runs.
 */
class StickyRoutingTest {
    private static final String COMPLETION = """
            {"id":"chatcmpl-s","object":"chat.completion","created":1700000000,"model":"extra-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
    private static final String TWO_ENDPOINTS = """
              - id: acme/cached
                context_length: 8192
                endpoints:
                  - provider: extra
                    upstream_model: extra-model
                    pricing: { prompt: "0.000001", completion: "0.000002", input_cache_read: "0.0000001" }
                  - provider: mock
                    upstream_model: chat-small
                    pricing: { prompt: "0.000001", completion: "0.000002", input_cache_read: "0.0000001" }
            """;

    @Test
    void aSessionsTurnsGoToOneEndpoint() {
        try (FixedUpstream extra = FixedUpstream.openAi(COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(Map.of(), TWO_ENDPOINTS, extra.baseUrl())) {
            Set<String> providers = new HashSet<>();
            for (int turn = 0; turn < 8; turn++) {
                HttpResponse<String> response = gateway.post(
                        "/chat/completions",
                        "{\"model\":\"acme/cached\",\"session_id\":\"conversation-1\",\"max_tokens\":5,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"turn " + turn + "\"}]}");
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                providers.add(GatewayHarness.json(response).path("provider").asText());
            }
            assertThat(providers).hasSize(1);
        }
    }

    @Test
    void theSessionHeaderWorksLikeTheBodyField() {
        try (FixedUpstream extra = FixedUpstream.openAi(COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(Map.of(), TWO_ENDPOINTS, extra.baseUrl())) {
            Set<String> providers = new HashSet<>();
            for (int turn = 0; turn < 8; turn++) {
                HttpResponse<String> response = gateway.send(
                        "POST",
                        "/chat/completions",
                        gateway.apiKey(),
                        "{\"model\":\"acme/cached\",\"max_tokens\":5,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"turn " + turn + "\"}]}",
                        Map.of("x-session-id", "conversation-2"));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                providers.add(GatewayHarness.json(response).path("provider").asText());
            }
            assertThat(providers).hasSize(1);
        }
    }
}
