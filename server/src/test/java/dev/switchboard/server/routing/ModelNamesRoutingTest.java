package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.testkit.FixedUpstream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The names clients send, as llm-interactive-proxy users know them, through the whole gateway to the
 * upstream: model aliases, URI model parameters and their precedence over the body, a forced model, a
 * default provider, and the identity headers a provider is sent.
 */
class ModelNamesRoutingTest {
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5";
    private static final String COMPLETION = """
            {"id":"chatcmpl-n","object":"chat.completion","created":1700000000,"model":"extra-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
    private static final String ALIASES = """
            routing:
              model_aliases:
                - { pattern: "gpt-4o", model: "acme/offline" }
                - { pattern: "(?:gpt|claude)-(.*)", model: "acme/chat-$1" }
            """;

    @Test
    void anAliasedModelWithUriParametersReachesTheUpstreamAndNamesTheAnswer() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), ALIASES)) {
            HttpResponse<String> response = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"gpt-small?temperature=0.25&top_p=0.5&max_tokens=7\",\"temperature\":1.9,"
                            + "\"seed\":3," + HI + "}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode sent = gateway.simulator().stats().lastRequestBody().orElseThrow();
            assertThat(sent.path("model").asText())
                    .as("acme/chat-small's upstream model")
                    .isEqualTo("chat-small");
            assertThat(sent.path("temperature").decimalValue())
                    .as("the id's parameter wins over the body's field")
                    .isEqualByComparingTo("0.25");
            assertThat(sent.path("top_p").decimalValue()).isEqualByComparingTo("0.5");
            assertThat(sent.path("max_tokens").asInt()).isEqualTo(7);
            assertThat(sent.path("seed").asInt())
                    .as("body fields the id does not name stay")
                    .isEqualTo(3);
            JsonNode completion = GatewayHarness.json(response);
            assertThat(completion.path("model").asText()).isEqualTo("acme/chat-small");
            assertThat(record(gateway, completion).path("model").asText()).isEqualTo("acme/chat-small");
        }
    }

    @Test
    void theFirstMatchingAliasWinsAndFallbacksAreAliasedToo() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), ALIASES)) {
            HttpResponse<String> response = gateway.post(
                    "/chat/completions", "{\"model\":\"gpt-4o\",\"models\":[\"claude-small\"]," + HI + "}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode completion = GatewayHarness.json(response);
            assertThat(completion.path("model").asText())
                    .as("gpt-4o is acme/offline, which cannot be reached; claude-small is acme/chat-small")
                    .isEqualTo("acme/chat-small");
            assertThat(record(gateway, completion).path("provider_responses")).hasSize(2);
        }
    }

    @Test
    void anUnknownOrMalformedUriParameterIsRefusedWithTheEnvelopeNamingIt() {
        try (GatewayHarness gateway = GatewayHarness.start()) {
            HttpResponse<String> unknown =
                    gateway.post("/chat/completions", "{\"model\":\"acme/chat-small?temprature=1\"," + HI + "}");
            HttpResponse<String> outOfRange =
                    gateway.post("/chat/completions", "{\"model\":\"acme/chat-small?top_p=2\"," + HI + "}");
            HttpResponse<String> malformed =
                    gateway.post("/chat/completions", "{\"model\":\"acme/chat-small?top_p\"," + HI + "}");

            assertThat(unknown.statusCode()).isEqualTo(400);
            JsonNode error = GatewayHarness.json(unknown).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(400);
            assertThat(error.path("message").asText()).contains("Unknown model parameter `temprature`");
            assertThat(error.path("metadata").path("param").asText()).isEqualTo("model");
            assertThat(GatewayHarness.json(outOfRange)
                            .path("error")
                            .path("message")
                            .asText())
                    .isEqualTo("`top_p` must be between 0 and 1");
            assertThat(GatewayHarness.json(malformed)
                            .path("error")
                            .path("message")
                            .asText())
                    .contains("'top_p' is not name=value");
            assertThat(gateway.simulator().stats().requestsReceived()).isZero();
        }
    }

    @Test
    void aForcedModelServesEveryRequestWithoutItsFallbacks() {
        try (GatewayHarness gateway =
                GatewayHarness.start(Map.of("SWITCHBOARD_ROUTING_FORCE_MODEL", "acme/chat-small"), ALIASES)) {
            HttpResponse<String> response = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"acme/offline?temperature=0.5\",\"models\":[\"acme/locked\"]," + HI + "}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode sent = gateway.simulator().stats().lastRequestBody().orElseThrow();
            assertThat(sent.path("model").asText()).isEqualTo("chat-small");
            assertThat(sent.path("temperature").decimalValue()).isEqualByComparingTo("0.5");
            JsonNode completion = GatewayHarness.json(response);
            assertThat(completion.path("model").asText()).isEqualTo("acme/chat-small");
            JsonNode record = record(gateway, completion);
            assertThat(record.path("model").asText()).isEqualTo("acme/chat-small");
            assertThat(record.path("provider_responses"))
                    .as("no fallback was planned")
                    .hasSize(1);
        }
    }

    @Test
    void theDefaultProviderIsTriedFirstUnlessTheRequestNamesItsProviders() {
        try (FixedUpstream extra = FixedUpstream.openAi(COMPLETION);
                GatewayHarness gateway =
                        GatewayHarness.start(Map.of(), "routing: { default_provider: mock }\n", extra.baseUrl())) {
            HttpResponse<String> preferred = gateway.post(
                    "/chat/completions", "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + "\"," + HI + "}");
            HttpResponse<String> ordered = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + "\",\"provider\":{\"order\":[\"extra\"]}," + HI
                            + "}");

            assertThat(preferred.statusCode()).as(preferred.body()).isEqualTo(200);
            assertThat(GatewayHarness.json(preferred).path("provider").asText())
                    .as("mock is dearer than extra for this model, but the gateway's default")
                    .isEqualTo("Mock Cloud");
            assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(200);
            assertThat(GatewayHarness.json(ordered).path("provider").asText())
                    .isEqualTo(GatewayHarness.EXTRA_PROVIDER_NAME);
            assertThat(extra.requests()).isEqualTo(1);
            assertThat(gateway.simulator().stats().requestsReceived()).isEqualTo(1);
        }
    }

    @Test
    void withoutADefaultProviderTheCheaperEndpointIsTried() {
        try (FixedUpstream extra = FixedUpstream.openAi(COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", extra.baseUrl())) {
            HttpResponse<String> response = gateway.post(
                    "/chat/completions", "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + "\"," + HI + "}");

            assertThat(GatewayHarness.json(response).path("provider").asText())
                    .isEqualTo(GatewayHarness.EXTRA_PROVIDER_NAME);
            assertThat(gateway.simulator().stats().requestsReceived()).isZero();
        }
    }

    @Test
    void aProvidersIdentityIsSentUpstreamOnEveryCall() {
        Map<String, String> identity = Map.of(
                "SWITCHBOARD_PROVIDERS_MOCK_IDENTITY_USER_AGENT", "Kilo-Code/4.1",
                "SWITCHBOARD_PROVIDERS_MOCK_IDENTITY_HTTP_REFERER", "https://kilocode.example",
                "SWITCHBOARD_PROVIDERS_MOCK_IDENTITY_X_TITLE", "Kilo Code");
        try (GatewayHarness gateway = GatewayHarness.start(identity, "")) {
            gateway.send(
                    "POST",
                    "/chat/completions",
                    gateway.apiKey(),
                    "{\"model\":\"acme/chat-small\"," + HI + "}",
                    Map.of("HTTP-Referer", "https://client.example", "X-Title", "Client App"));

            Map<String, String> headers = gateway.simulator().stats().lastRequestHeaders();
            assertThat(headers)
                    .containsEntry("user-agent", "Kilo-Code/4.1")
                    .containsEntry("http-referer", "https://kilocode.example")
                    .containsEntry("x-title", "Kilo Code");
        }
    }

    @Test
    void withoutAnIdentityTheGatewayNamesItselfAndPassesNoClientAttributionOn() {
        try (GatewayHarness gateway = GatewayHarness.start()) {
            HttpResponse<String> response = gateway.send(
                    "POST",
                    "/chat/completions",
                    gateway.apiKey(),
                    "{\"model\":\"acme/chat-small\",\"stream\":true," + HI + "}",
                    Map.of("HTTP-Referer", "https://client.example", "X-Title", "Client App"));

            assertThat(response.statusCode()).isEqualTo(200);
            Map<String, String> headers = gateway.simulator().stats().lastRequestHeaders();
            assertThat(headers).containsEntry("user-agent", "Switchboard");
            assertThat(headers).doesNotContainKeys("http-referer", "x-title");
        }
    }

    private static JsonNode record(GatewayHarness gateway, JsonNode completion) {
        return GatewayHarness.json(
                        gateway.get("/generation?id=" + completion.path("id").asText(), gateway.apiKey()))
                .path("data");
    }
}
