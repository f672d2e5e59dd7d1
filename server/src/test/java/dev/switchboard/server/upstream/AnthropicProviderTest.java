package dev.switchboard.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end through the gateway to a provider of {@code kind: anthropic} (the simulator's
 * {@code /v1/messages}): an OpenAI-format client gets OpenAI-format answers, tool calls and usage
 * included, streamed and not, and the provider gets Anthropic's format with its key and beta flags.
 */
class AnthropicProviderTest {
    private static final String TOOLS = """
            "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
              "properties":{"city":{"type":"string"}},"required":["city"]}}}]
            """;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.startWith(AnthropicProviderTest::config, Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String config(URI simulatorBase) {
        String root = simulatorBase.toString().replaceFirst("/v1$", "");
        return """
                providers:
                  - slug: claude
                    name: Claude Direct
                    kind: anthropic
                    base_url: %s
                    api_key: sk-ant-e2e-secret
                models:
                  - id: acme/claude
                    name: "Acme: Claude"
                    context_length: 200000
                    supported_parameters: [max_tokens, temperature, tools, tool_choice, reasoning]
                    endpoints:
                      - provider: claude
                        upstream_model: claude-sim
                        max_completion_tokens: 8192
                        pricing: { prompt: "0.000003", completion: "0.000015", input_cache_read: "0.0000003" }
                """.formatted(root);
    }

    @Test
    void aToolCallComesBackInOpenAiFormatAndItsResultGoesOnTheNextTurn() {
        HttpResponse<String> response = gateway.send(
                "POST",
                "/chat/completions",
                gateway.apiKey(),
                "{\"model\":\"acme/claude\",\"tool_choice\":\"required\","
                        + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},"
                        + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]," + TOOLS + "}",
                Map.of("x-anthropic-beta", "fine-grained-tool-streaming-2025-05-14"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode choice = GatewayHarness.json(response).path("choices").get(0);
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertThat(call.path("id").asText()).startsWith("toolu_sim_");
        assertThat(GatewayHarness.json(call.path("function").path("arguments").asText())
                        .has("city"))
                .isTrue();
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("native_finish_reason").asText()).isEqualTo("tool_use");
        JsonNode usage = GatewayHarness.json(response).path("usage");
        assertThat(usage.path("total_tokens").asLong())
                .isEqualTo(usage.path("prompt_tokens").asLong()
                        + usage.path("completion_tokens").asLong());
        Map<String, String> headers = gateway.simulator().stats().lastRequestHeaders();
        assertThat(headers)
                .containsEntry("x-api-key", "sk-ant-e2e-secret")
                .containsEntry("anthropic-version", "2023-06-01")
                .containsEntry("anthropic-beta", "fine-grained-tool-streaming-2025-05-14");
        JsonNode sent = gateway.simulator().stats().lastRequestBody().orElseThrow();
        assertThat(sent.path("system").get(0).path("text").asText()).isEqualTo("Be brief");
        assertThat(sent.path("max_tokens").asLong()).isEqualTo(8192);

        HttpResponse<String> next = gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/claude\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\""
                        + call.path("id").asText() + "\",\"content\":\"18C\"}],"
                        + TOOLS + "}");

        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(next)
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isNotBlank();
    }

    @Test
    void aStreamedToolCallReassemblesAndFinishesOnceWithUsageOnce() {
        StreamedResponse stream = gateway.stream(
                "{\"model\":\"acme/claude\",\"stream\":true,\"tool_choice\":\"required\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]," + TOOLS + "}",
                Map.of());

        assertThat(stream.status()).isEqualTo(200);
        List<JsonNode> chunks = stream.chunks();
        StringBuilder arguments = new StringBuilder();
        for (JsonNode chunk : chunks) {
            for (JsonNode toolCall : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
                assertThat(toolCall.path("index").asInt()).isZero();
                arguments.append(toolCall.path("function").path("arguments").asText(""));
            }
        }
        assertThat(GatewayHarness.json(arguments.toString()).has("city")).isTrue();
        assertThat(chunks.stream()
                        .filter(c ->
                                !c.path("choices").path(0).path("finish_reason").isMissingNode()
                                        && !c.path("choices")
                                                .path(0)
                                                .path("finish_reason")
                                                .isNull()))
                .hasSize(1);
        assertThat(chunks.stream()
                        .filter(c -> c.has("usage") && !c.path("usage").isNull()))
                .hasSize(1);
        assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
    }

    @Test
    void aStreamedChatAnswersWithText() {
        StreamedResponse stream = gateway.stream(
                "{\"model\":\"acme/claude\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                        + "\"simulator\":{\"output_tokens\":4}}",
                Map.of());

        assertThat(stream.status()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : stream.chunks()) {
            text.append(
                    chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertThat(text.toString().split(" ")).hasSize(4);
    }
}
