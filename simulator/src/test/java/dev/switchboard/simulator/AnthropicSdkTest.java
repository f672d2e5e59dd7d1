package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's own Java SDK as a client of the simulator's {@code /v1/messages}: what the SDK parses and
 * validates, streams included, the simulator sends as Anthropic does. The simulator is thereby checked
 * against something this project did not write.
 */
class AnthropicSdkTest {
    private static UpstreamSimulator simulator;
    private static AnthropicClient client;

    @BeforeAll
    static void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        client = AnthropicOkHttpClient.builder()
                .baseUrl(simulator.rootUrl().toString())
                .apiKey("sk-ant-sdk-test")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        simulator.close();
    }

    @Test
    void theSdkParsesAPlainMessage() {
        Message message = client.messages()
                .create(MessageCreateParams.builder()
                        .model("claude-sim")
                        .maxTokens(100)
                        .system("Be brief")
                        .addUserMessage("Hello there")
                        .putAdditionalBodyProperty("simulator", JsonValue.from(Map.of("output_tokens", 5)))
                        .build());

        message.validate();
        assertThat(message.id()).startsWith("msg_sim_");
        assertThat(message.content()).hasSize(1);
        assertThat(message.content().getFirst().text().orElseThrow().text().split(" "))
                .hasSize(5);
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(5);
        // this SDK version sends its key as a bearer token (and a newer anthropic-version); both are accepted
        assertThat(simulator.stats().lastRequestHeaders()).containsEntry("authorization", "Bearer sk-ant-sdk-test");
    }

    @Test
    void theSdkParsesThinkingToolUseAndCacheUsage() {
        Message message = client.messages().create(thinkingToolParams());

        message.validate();
        List<ContentBlock> content = message.content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).thinking().orElseThrow().signature()).isNotBlank();
        assertThat(content.get(1).toolUse().orElseThrow().name()).isEqualTo("get_weather");
        assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(message.usage().cacheReadInputTokens()).hasValue(1L);
        assertThat(message.usage().cacheCreationInputTokens()).hasValue(1L);
    }

    @Test
    void theSdkAccumulatesTheStreamIntoTheSameMessage() {
        Message whole = client.messages().create(thinkingToolParams());
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(thinkingToolParams())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();

        streamed.validate();
        assertThat(streamed.content().get(0).thinking().orElseThrow().thinking())
                .isEqualTo(whole.content().get(0).thinking().orElseThrow().thinking());
        assertThat(streamed.content().get(0).thinking().orElseThrow().signature())
                .isEqualTo(whole.content().get(0).thinking().orElseThrow().signature());
        assertThat(streamed.content().get(1).toolUse().orElseThrow()._input())
                .isEqualTo(whole.content().get(1).toolUse().orElseThrow()._input());
        assertThat(streamed.stopReason()).isEqualTo(whole.stopReason());
        assertThat(streamed.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());
        assertThat(streamed.usage().inputTokens()).isEqualTo(whole.usage().inputTokens());
    }

    @Test
    void theSdkMapsTheSimulatorsErrorsToItsExceptions() {
        assertThatThrownBy(() -> client.messages().create(faulty(429))).isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> client.messages().create(faulty(529))).isInstanceOf(InternalServerException.class);
        assertThatThrownBy(() -> client.messages().create(faulty(400)))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Simulated HTTP 400");
    }

    @Test
    void theSdkSeesAnInStreamError() {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("claude-sim")
                .maxTokens(100)
                .addUserMessage("Hello")
                .putAdditionalBodyProperty("simulator", JsonValue.from(Map.of("stream_error", "overloaded_error")))
                .build();

        assertThatThrownBy(() -> {
                    try (StreamResponse<RawMessageStreamEvent> stream =
                            client.messages().createStreaming(params)) {
                        stream.stream().forEach(event -> {});
                    }
                })
                .isInstanceOf(AnthropicException.class);
    }

    private static MessageCreateParams thinkingToolParams() {
        return MessageCreateParams.builder()
                .model("claude-sim")
                .maxTokens(2048)
                .enabledThinking(1024)
                .addUserMessage("Weather in Paris?")
                .addTool(Tool.builder()
                        .name("get_weather")
                        .inputSchema(Tool.InputSchema.builder()
                                .properties(Tool.InputSchema.Properties.builder()
                                        .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                                        .build())
                                .build())
                        .build())
                .putAdditionalBodyProperty(
                        "simulator",
                        JsonValue.from(Map.of("tool_call", true, "cached_tokens", 1, "cache_write_tokens", 1)))
                .build();
    }

    private static MessageCreateParams faulty(int status) {
        return MessageCreateParams.builder()
                .model("claude-sim")
                .maxTokens(100)
                .addUserMessage("Hello")
                .putAdditionalBodyProperty("simulator", JsonValue.from(Map.of("fault", "status", "status", status)))
                .build();
    }
}
