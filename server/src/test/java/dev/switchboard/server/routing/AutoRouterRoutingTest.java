package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import dev.switchboard.testkit.FixedUpstream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The auto router and {@code :exacto} through the whole gateway. Of the test catalog's models, those a
 * provider can serve are {@code acme/chat-small} (cheapest), {@code acme/offline} (whose provider refuses
 * connections) and {@code acme/chat-priced} (dearest); every bundled model's provider lacks a key.
 */
class AutoRouterRoutingTest {
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5";

    @Test
    void theAutoRouterAnswersWithTheModelItChoseNamedInTheResponseAndTheGeneration() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            String body = "{\"model\":\"openrouter/auto\",\"plugins\":[{\"id\":\"auto-router\","
                    + "\"allowed_models\":[\"acme/chat-*\"],\"cost_tier\":\"max\"}]," + HI;
            HttpResponse<String> response = gateway.post("/chat/completions", body + "}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode completion = GatewayHarness.json(response);
            assertThat(completion.path("model").asText()).isEqualTo("acme/chat-priced");
            JsonNode record = generation(gateway, completion.path("id").asText());
            assertThat(record.path("model").asText()).isEqualTo("acme/chat-priced");
            assertThat(record.path("provider_responses")).hasSize(1);

            StreamedResponse streamed = gateway.stream(body + ",\"stream\":true}", Map.of());
            assertThat(streamed.status()).isEqualTo(200);
            assertThat(streamed.chunks())
                    .allSatisfy(c -> assertThat(c.path("model").asText()).isEqualTo("acme/chat-priced"));
        }
    }

    @Test
    void theChosenModelsFailureFallsBackToTheNextRankedModel() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            // medium tier: acme/offline, which refuses the connection; then the cheaper tier's chat-small
            HttpResponse<String> response =
                    gateway.post("/chat/completions", "{\"model\":\"switchboard/auto\"," + HI + "}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode completion = GatewayHarness.json(response);
            assertThat(completion.path("model").asText()).isEqualTo("acme/chat-small");
            JsonNode attempts =
                    generation(gateway, completion.path("id").asText()).path("provider_responses");
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0).path("model_permaslug").asText()).isEqualTo("acme/offline");
            assertThat(attempts.get(1).path("model_permaslug").asText()).isEqualTo("acme/chat-small");
        }
    }

    @Test
    void aBadAutoRouterSettingIsA400NamingTheField() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            HttpResponse<String> response = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"openrouter/auto\",\"plugins\":[{\"id\":\"auto-router\",\"cost_tier\":\"cheap\"}],"
                            + HI + "}");

            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode error = GatewayHarness.json(response).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(400);
            assertThat(error.path("metadata").path("param").asText()).isEqualTo("plugins[0].cost_tier");
        }
    }

    @Test
    void exactoRoutesAwayFromAnEndpointWhoseToolCallsWereMalformed() {
        String malformed = """
                {"id":"x","object":"chat.completion","created":1,"model":"extra-model","choices":[{"index":0,
                "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                "function":{"name":"weather","arguments":"{\\"city\\": \\"Par"}}]},"finish_reason":"tool_calls"}],
                "usage":{"prompt_tokens":5,"completion_tokens":5,"total_tokens":10}}""";
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
        try (FixedUpstream extra = FixedUpstream.openAi(malformed);
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", extra.baseUrl())) {
            HttpResponse<String> first = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + "\",\"provider\":{\"order\":[\"extra\"]}," + HI
                            + tools + "}");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(GatewayHarness.json(first).path("provider").asText())
                    .isEqualTo(GatewayHarness.EXTRA_PROVIDER_NAME);

            // the cheaper endpoint's tool calls were malformed: quality first puts the other first
            HttpResponse<String> second = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + ":exacto\"," + HI + tools + "}");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(GatewayHarness.json(second).path("provider").asText()).isEqualTo("Mock Cloud");
            assertThat(GatewayHarness.json(second).path("model").asText()).isEqualTo(GatewayHarness.FALLBACK_MODEL);
            assertThat(extra.requests()).isEqualTo(1);
        }
    }

    private static JsonNode generation(GatewayHarness gateway, String id) {
        return GatewayHarness.json(gateway.get("/generation?id=" + id, gateway.apiKey()))
                .path("data");
    }
}
