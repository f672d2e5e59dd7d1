package dev.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chat-completions request path over raw HTTP: OpenRouter's fields, streaming order, forwarding. */
class ChatCompletionsTest {
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
    void answersInOpenRoutersShapeWithExactCost() {
        HttpResponse<String> response = gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/chat-small\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = GatewayHarness.json(response);
        assertThat(body.path("id").asText()).startsWith("gen-");
        assertThat(response.headers().firstValue("X-Generation-Id"))
                .contains(body.path("id").asText());
        assertThat(body.path("provider").asText()).isEqualTo("Mock Cloud");
        assertThat(body.path("model").asText()).isEqualTo("acme/chat-small");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
        assertThat(choice.path("native_finish_reason").asText()).isEqualTo("length");
        JsonNode usage = body.path("usage");
        long prompt = usage.path("prompt_tokens").asLong();
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(5);
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(prompt + 5);
        BigDecimal expected = new BigDecimal("0.0000005")
                .multiply(BigDecimal.valueOf(prompt))
                .add(new BigDecimal("0.0000015").multiply(BigDecimal.valueOf(5)));
        assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(expected);
        assertThat(usage.path("prompt_tokens_details").has("cached_tokens")).isTrue();
        assertThat(usage.path("completion_tokens_details").has("reasoning_tokens"))
                .isTrue();
        assertThat(usage.path("cost_details").path("upstream_inference_cost").decimalValue())
                .isEqualByComparingTo(expected);
        assertThat(response.body())
                .as("money in plain notation, never 1.5E-6")
                .containsPattern("\"cost\":0\\.\\d+[,}]")
                .doesNotContainPattern("cost\":[0-9.]+E");
    }

    @Test
    void forwardsWhatTheClientSentAndNothingElse() {
        gateway.post("/chat/completions", """
                {"model":"acme/chat-small","messages":[{"role":"user","content":"hi"}],
                 "temperature":0.3,"max_completion_tokens":4,"custom_vendor_field":{"keep":true},
                 "provider":{"ignore":["locked"]},"models":["acme/chat-small"],"transforms":[],"usage":{"include":true}}
                """);

        JsonNode forwarded = gateway.simulator().stats().lastRequestBody().orElseThrow();
        assertThat(forwarded.path("model").asText()).isEqualTo("chat-small");
        assertThat(forwarded.path("temperature").decimalValue()).isEqualByComparingTo("0.3");
        assertThat(forwarded.path("max_completion_tokens").asInt()).isEqualTo(4);
        assertThat(forwarded.path("custom_vendor_field").path("keep").asBoolean())
                .isTrue();
        assertThat(forwarded.has("provider")).isFalse();
        assertThat(forwarded.has("models")).isFalse();
        assertThat(forwarded.has("transforms")).isFalse();
        assertThat(forwarded.has("usage")).isFalse();
        assertThat(forwarded.has("top_p")).isFalse();
        assertThat(forwarded.has("stream")).isFalse();
        assertThat(gateway.simulator().stats().lastRequestHeaders().get("authorization"))
                .isEqualTo("Bearer sk-upstream-secret-not-for-clients");
    }

    @Test
    void acceptsLegacyMaxTokensAndAPromptInsteadOfMessages() {
        HttpResponse<String> response = gateway.post(
                "/chat/completions", "{\"model\":\"acme/chat-small\",\"max_tokens\":2,\"prompt\":\"Continue this\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(GatewayHarness.json(response)
                        .path("usage")
                        .path("completion_tokens")
                        .asLong())
                .isEqualTo(2);
        JsonNode forwarded = gateway.simulator().stats().lastRequestBody().orElseThrow();
        assertThat(forwarded.path("max_tokens").asInt()).isEqualTo(2);
        assertThat(forwarded.path("messages").path(0).path("content").asText()).isEqualTo("Continue this");
    }

    @Test
    void sendsTheTokenLimitInTheFieldTheProviderIsConfiguredFor() {
        try (GatewayHarness renaming = GatewayHarness.start(
                Map.of("SWITCHBOARD_PROVIDERS_MOCK_MAX_TOKENS_FIELD", "max_completion_tokens"), "")) {
            HttpResponse<String> response = renaming.post(
                    "/chat/completions",
                    "{\"model\":\"acme/chat-small\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode forwarded = renaming.simulator().stats().lastRequestBody().orElseThrow();
            assertThat(forwarded.path("max_completion_tokens").asInt()).isEqualTo(3);
            assertThat(forwarded.has("max_tokens")).isFalse();
            assertThat(GatewayHarness.json(response)
                            .path("usage")
                            .path("completion_tokens")
                            .asLong())
                    .isEqualTo(3);
        }
    }

    @Test
    void dropsParametersTheEndpointDoesNotSupport() {
        gateway.post("/chat/completions", """
                {"model":"acme/chat-priced","messages":[{"role":"user","content":"hi"}],
                 "temperature":0.5,"top_k":40,"seed":7,"tool_choice":"none","max_tokens":2}
                """);

        JsonNode forwarded = gateway.simulator().stats().lastRequestBody().orElseThrow();
        assertThat(forwarded.has("temperature")).isTrue();
        assertThat(forwarded.has("tool_choice")).isTrue();
        assertThat(forwarded.has("top_k")).isFalse();
        assertThat(forwarded.has("seed")).isFalse();
    }

    @Test
    void billsCachedTokensAndRequestPrice() {
        HttpResponse<String> response = gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/chat-priced\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");

        JsonNode usage = GatewayHarness.json(response).path("usage");
        long prompt = usage.path("prompt_tokens").asLong();
        BigDecimal expected = new BigDecimal("0.000003")
                .multiply(BigDecimal.valueOf(prompt))
                .add(new BigDecimal("0.000015").multiply(BigDecimal.valueOf(3)))
                .add(new BigDecimal("0.001"));
        assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(expected);
    }

    @Test
    void streamsChunksThenOneUsageChunkThenDone() {
        StreamedResponse stream = gateway.stream(
                "{\"model\":\"acme/chat-small\",\"stream\":true,\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.header("content-type")).startsWith("text/event-stream");
        List<String> data = stream.dataLines();
        assertThat(data.getLast()).isEqualTo("data: [DONE]");
        List<JsonNode> chunks = stream.chunks();
        String id = stream.header("X-Generation-Id");
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("id").asText()).isEqualTo(id);
            assertThat(c.path("provider").asText()).isEqualTo("Mock Cloud");
            assertThat(c.path("model").asText()).isEqualTo("acme/chat-small");
        });
        List<JsonNode> usageChunks = chunks.stream().filter(c -> c.has("usage")).toList();
        assertThat(usageChunks).hasSize(1);
        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        assertThat(usageChunk.path("usage").path("completion_tokens").asLong()).isEqualTo(4);
        assertThat(usageChunk.path("usage").path("cost").decimalValue()).isPositive();
        JsonNode finish = chunks.get(chunks.size() - 2).path("choices").path(0);
        assertThat(finish.path("finish_reason").asText()).isEqualTo("length");
        assertThat(finish.path("native_finish_reason").asText()).isEqualTo("length");
        String text = chunks.stream()
                .map(c ->
                        c.path("choices").path(0).path("delta").path("content").asText(""))
                .reduce("", String::concat);
        assertThat(text.split(" ")).hasSize(4);
        assertThat(stream.comments()).isEmpty();
    }

    @Test
    void asksTheProviderForUsageWhenStreaming() {
        gateway.stream(
                "{\"model\":\"acme/chat-small\",\"stream\":true,\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());

        JsonNode forwarded = gateway.simulator().stats().lastRequestBody().orElseThrow();
        assertThat(forwarded.path("stream").asBoolean()).isTrue();
        assertThat(forwarded.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
    }

    @Test
    void sendsKeepAliveCommentsWhileTheFirstTokenIsSlow() {
        StreamedResponse stream = gateway.stream("""
                {"model":"acme/chat-small","stream":true,"max_tokens":2,"messages":[{"role":"user","content":"hi"}],
                 "simulator":{"ttft_ms":700}}
                """, Map.of());

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.comments()).isNotEmpty().allMatch(c -> c.equals(": OPENROUTER PROCESSING"));
        int firstComment = stream.lines().indexOf(": OPENROUTER PROCESSING");
        int firstData = stream.lines().indexOf(stream.dataLines().getFirst());
        assertThat(firstComment).isLessThan(firstData);
        assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
    }

    @Test
    void turnsAFailureAfterTheFirstChunkIntoAnInBandErrorThenDone() {
        StreamedResponse stream = gateway.stream("""
                {"model":"acme/chat-small","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "simulator":{"fault":"reset_mid_stream","fault_after_tokens":2}}
                """, Map.of());

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
        JsonNode error = stream.chunks().getLast();
        assertThat(error.path("error").path("code").asInt()).isEqualTo(502);
        assertThat(error.path("error").path("message").asText()).isNotBlank();
        assertThat(error.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
        assertThat(stream.chunks().stream().filter(c -> c.has("usage"))).isEmpty();
    }

    @Test
    void turnsAMalformedChunkIntoAnInBandError() {
        StreamedResponse stream = gateway.stream("""
                {"model":"acme/chat-small","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "simulator":{"fault":"malformed_chunk","fault_after_tokens":1}}
                """, Map.of());

        JsonNode error = stream.chunks().getLast();
        assertThat(error.path("error").path("code").asInt()).isEqualTo(502);
        assertThat(error.path("error").path("metadata").path("provider_name").asText())
                .isEqualTo("Mock Cloud");
        assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
    }

    @Test
    void relaysToolCalls() {
        HttpResponse<String> response = gateway.post("/chat/completions", """
                {"model":"acme/chat-small","messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
                 "tool_choice":"required"}
                """);

        JsonNode choice = GatewayHarness.json(response).path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message")
                        .path("tool_calls")
                        .path(0)
                        .path("function")
                        .path("name")
                        .asText())
                .isEqualTo("get_weather");
    }
}
