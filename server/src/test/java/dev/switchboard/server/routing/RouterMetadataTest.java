package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import dev.switchboard.testkit.FixedUpstream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code X-OpenRouter-Metadata: enabled} adds {@code openrouter_metadata}: the plan and every attempt. */
class RouterMetadataTest {
    private static final Map<String, String> OPT_IN = Map.of("X-OpenRouter-Metadata", "enabled");
    private static final String CHAT =
            "{\"model\":\"acme/chat-small\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void aWholeResponseCarriesItWhenAskedAndOnlyThen() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            JsonNode body = GatewayHarness.json(post(gateway, CHAT, OPT_IN));
            JsonNode metadata = body.path("openrouter_metadata");
            assertThat(metadata.path("requested").asText()).isEqualTo("acme/chat-small");
            assertThat(metadata.path("strategy").asText()).isEqualTo("direct");
            assertThat(metadata.path("attempt").asInt()).isEqualTo(1);
            assertThat(metadata.path("is_byok").asBoolean()).isFalse();
            assertThat(metadata.has("region")).isTrue();
            assertThat(metadata.path("summary").asText()).isEqualTo("available=1, selected=Mock Cloud");
            assertThat(metadata.path("endpoints").path("total").asInt()).isEqualTo(1);
            JsonNode selected = metadata.path("endpoints").path("available").get(0);
            assertThat(selected.path("provider").asText()).isEqualTo("Mock Cloud");
            assertThat(selected.path("model").asText()).isEqualTo("acme/chat-small");
            assertThat(selected.path("selected").asBoolean()).isTrue();
            assertThat(metadata.path("attempts").get(0).path("status").asInt()).isEqualTo(200);

            assertThat(GatewayHarness.json(post(gateway, CHAT, Map.of())).has("openrouter_metadata"))
                    .isFalse();
            assertThat(GatewayHarness.json(post(gateway, CHAT, Map.of("X-OpenRouter-Metadata", "disabled")))
                            .has("openrouter_metadata"))
                    .isFalse();
            assertThat(GatewayHarness.json(post(gateway, CHAT, Map.of("X-OpenRouter-Experimental-Metadata", "enabled")))
                            .has("openrouter_metadata"))
                    .as("the legacy header")
                    .isTrue();
        }
    }

    @Test
    void aStreamCarriesItOnItsLastChunk() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            StreamedResponse stream = gateway.stream(CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""), OPT_IN);

            assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
            List<JsonNode> chunks = stream.chunks();
            JsonNode last = chunks.getLast();
            assertThat(last.has("usage")).isTrue();
            assertThat(last.path("openrouter_metadata").path("attempt").asInt()).isEqualTo(1);
            assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(c -> c.has("openrouter_metadata"));
        }
    }

    @Test
    void aFallbackShowsEveryAttempt() {
        try (FixedUpstream failing =
                        FixedUpstream.answering(500, "application/json", "{\"error\":{\"message\":\"boom\"}}");
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", failing.baseUrl())) {
            JsonNode metadata = GatewayHarness.json(post(
                            gateway,
                            "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + "\",\"models\":[\"acme/chat-small\"],"
                                    + "\"provider\":{\"order\":[\"extra\"]},\"max_tokens\":3,"
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                            OPT_IN))
                    .path("openrouter_metadata");

            assertThat(metadata.path("strategy").asText()).isEqualTo("fallback");
            assertThat(metadata.path("attempt").asInt()).isEqualTo(2);
            assertThat(metadata.path("endpoints").path("total").asInt()).isEqualTo(3);
            assertThat(metadata.path("attempts").get(0).path("status").asInt()).isEqualTo(500);
            assertThat(metadata.path("attempts").get(1).path("status").asInt()).isEqualTo(200);
            assertThat(metadata.path("endpoints")
                            .path("available")
                            .get(1)
                            .path("selected")
                            .asBoolean())
                    .isTrue();
        }
    }

    @Test
    void anErrorCarriesItBesideTheError() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            HttpResponse<String> response = post(
                    gateway,
                    "{\"model\":\"acme/offline\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    OPT_IN);

            assertThat(response.statusCode()).isEqualTo(502);
            JsonNode body = GatewayHarness.json(response);
            assertThat(body.path("error").path("code").asInt()).isEqualTo(502);
            assertThat(body.path("openrouter_metadata")
                            .path("attempts")
                            .get(0)
                            .path("status")
                            .asInt())
                    .isEqualTo(502);
            assertThat(body.path("openrouter_metadata").path("summary").asText())
                    .endsWith("selected=none");
        }
    }

    private static HttpResponse<String> post(GatewayHarness gateway, String body, Map<String, String> headers) {
        return gateway.send("POST", "/chat/completions", gateway.apiKey(), body, headers);
    }
}
