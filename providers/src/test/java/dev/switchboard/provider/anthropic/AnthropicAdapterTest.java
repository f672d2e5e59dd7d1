package dev.switchboard.provider.anthropic;

import static dev.switchboard.provider.anthropic.AnthropicCalls.attempt;
import static dev.switchboard.provider.anthropic.AnthropicCalls.call;
import static dev.switchboard.provider.anthropic.AnthropicCalls.drain;
import static dev.switchboard.provider.anthropic.AnthropicCalls.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.response.Choice;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.CompletionAssembler;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Anthropic adapter against the upstream simulator's {@code /v1/messages} on a loopback port. */
class AnthropicAdapterTest {
    private static final String TOOLS = """
            "tools":[
              {"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                "properties":{"city":{"type":"string"},"days":{"type":"integer"}}}}},
              {"type":"function","function":{"name":"get_time","parameters":{"type":"object",
                "properties":{"zone":{"type":"string"}}}}}]
            """;
    private static UpstreamSimulator simulator;
    private static UpstreamHttp http;
    private static AnthropicAdapter adapter;

    @BeforeAll
    static void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        http = new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(20));
        adapter = new AnthropicAdapter(http, AnthropicCalls.JSON, GatewayConfig.Upstream.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        http.close();
        simulator.close();
    }

    @Test
    void completesANonStreamingRequest() {
        Completion completion = adapter.complete(call(
                simulatorAttempt(),
                request("{\"model\":\"acme/claude\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],"
                        + "\"simulator\":{\"output_tokens\":6}}")));

        assertThat(completion.upstreamModel()).hasValue("claude-sim");
        assertThat(completion.upstreamId())
                .hasValueSatisfying(id -> assertThat(id).startsWith("msg_sim_"));
        Choice choice = completion.choices().getFirst();
        assertThat(choice.text().split(" ")).hasSize(6);
        assertThat(choice.finish()).hasValue(FinishReason.STOP);
        assertThat(choice.nativeFinish()).hasValue("end_turn");
        assertThat(completion.usage()).hasValueSatisfying(u -> {
            assertThat(u.prompt()).isPositive();
            assertThat(u.completion()).isEqualTo(6);
        });
    }

    @Test
    void sendsTheKeyTheVersionAndTheClientsBetaFeatures() {
        ChatRequest request =
                request("{\"model\":\"acme/claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").toBuilder()
                        .betaFeatures(List.of("interleaved-thinking-2025-05-14", "context-1m-2025-08-07"))
                        .build();

        adapter.complete(call(simulatorAttempt(), request));

        assertThat(simulator.stats().lastRequestHeaders())
                .containsEntry("x-api-key", AnthropicCalls.KEY)
                .containsEntry("anthropic-version", "2023-06-01")
                .containsEntry("anthropic-beta", "interleaved-thinking-2025-05-14,context-1m-2025-08-07")
                .doesNotContainKey("authorization");
        JsonNode sent = simulator.stats().lastRequestBody().orElseThrow();
        assertThat(sent.path("model").asText()).isEqualTo("claude-sim");
        assertThat(sent.path("max_tokens").asLong()).isEqualTo(AnthropicRequestWriter.DEFAULT_MAX_TOKENS);
    }

    @Test
    void streamedDeltasAssembleIntoTheNonStreamedAnswer() {
        String body =
                "{\"model\":\"acme/claude\",\"stream\":%s,\"max_tokens\":4000,\"reasoning\":{\"max_tokens\":1024},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me something\"}],"
                        + "\"simulator\":{\"output_tokens\":12,\"reasoning_tokens\":5,\"cached_tokens\":2,\"cache_write_tokens\":1}}";

        Completion whole = adapter.complete(call(simulatorAttempt(), request(body.formatted(false))));
        List<StreamEvent> events = streamed(request(body.formatted(true)));
        Completion streamed = new CompletionAssembler().acceptAll(events).build();

        assertThat(streamed.choices().getFirst().content())
                .isEqualTo(whole.choices().getFirst().content());
        assertThat(streamed.usage()).isEqualTo(whole.usage());
        assertThat(whole.usage()).hasValueSatisfying(u -> {
            assertThat(u.cachedPrompt()).isEqualTo(2);
            assertThat(u.cacheWrite()).isEqualTo(1);
            assertThat(u.completion()).isEqualTo(17);
            assertThat(u.total()).isEqualTo(u.prompt() + u.completion());
        });
        ContentPart.Reasoning thinking = whole.choices().getFirst().reasoning().getFirst();
        assertThat(thinking.content().split(" ")).hasSize(5);
        assertThat(thinking.signature()).isPresent();
        assertThat(thinking.format()).hasValue("anthropic-claude-v1");
        assertThat(events.stream().filter(StreamEvent.Finished.class::isInstance))
                .hasSize(1);
        assertThat(events.stream().filter(StreamEvent.UsageReported.class::isInstance))
                .hasSize(1);
        assertThat(events.getFirst()).isInstanceOf(StreamEvent.Started.class);
    }

    @Test
    void parallelToolCallArgumentsReassembleIntoValidJsonByIndex() throws Exception {
        String body = "{\"model\":\"acme/claude\",\"stream\":%s,\"tool_choice\":\"required\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather and time in Paris\"}]," + TOOLS + ","
                + "\"simulator\":{\"tool_calls\":2}}";

        Completion whole = adapter.complete(call(simulatorAttempt(), request(body.formatted(false))));
        List<StreamEvent> events = streamed(request(body.formatted(true)));
        Choice streamed =
                new CompletionAssembler().acceptAll(events).build().choices().getFirst();

        assertThat(streamed.toolCalls())
                .extracting(ContentPart.ToolCall::name)
                .containsExactly("get_weather", "get_time");
        for (ContentPart.ToolCall toolCall : streamed.toolCalls()) {
            assertThat(toolCall.id()).startsWith("toolu_sim_");
            assertThat(AnthropicCalls.JSON.readTree(toolCall.arguments()).isObject())
                    .isTrue();
        }
        assertThat(streamed.toolCalls().stream()
                        .map(ContentPart.ToolCall::arguments)
                        .collect(Collectors.toList()))
                .isEqualTo(whole.choices().getFirst().toolCalls().stream()
                        .map(ContentPart.ToolCall::arguments)
                        .collect(Collectors.toList()));
        assertThat(events)
                .filteredOn(e -> e instanceof StreamEvent.ToolCallDelta delta
                        && delta.id().isPresent())
                .hasSize(2);
        assertThat(streamed.finish()).hasValue(FinishReason.TOOL_CALLS);
        assertThat(streamed.nativeFinish()).hasValue("tool_use");
    }

    @Test
    void aToolLoopWithThinkingSendsTheSignedReasoningBackAndTheSimulatorAcceptsIt() {
        String first = "{\"model\":\"acme/claude\",\"max_tokens\":4000,\"reasoning\":{\"max_tokens\":1024},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]," + TOOLS
                + ",\"simulator\":{\"tool_call\":true,\"redacted_thinking\":true}}";
        Choice turn1 = adapter.complete(call(simulatorAttempt(), request(first)))
                .choices()
                .getFirst();
        ContentPart.ToolCall toolCall = turn1.toolCalls().getFirst();

        ChatRequest second = request(first);
        List<dev.switchboard.model.chat.Message> messages = new java.util.ArrayList<>(second.messages());
        messages.add(new dev.switchboard.model.chat.Message(
                dev.switchboard.model.chat.Role.ASSISTANT,
                turn1.content(),
                java.util.Optional.empty(),
                dev.switchboard.model.chat.Extensions.NONE));
        messages.add(new dev.switchboard.model.chat.Message(
                dev.switchboard.model.chat.Role.TOOL,
                List.of(new ContentPart.ToolResult(
                        toolCall.id(),
                        List.of(ContentPart.Text.of("sunny")),
                        false,
                        java.util.Optional.empty(),
                        dev.switchboard.model.chat.Extensions.NONE)),
                java.util.Optional.empty(),
                dev.switchboard.model.chat.Extensions.NONE));
        Completion turn2 = adapter.complete(
                call(simulatorAttempt(), second.toBuilder().messages(messages).build()));

        assertThat(turn1.reasoning())
                .extracting(ContentPart.Reasoning::kind)
                .containsExactly(ContentPart.Reasoning.Kind.TEXT, ContentPart.Reasoning.Kind.ENCRYPTED);
        assertThat(turn2.choices().getFirst().finish()).isPresent();
        JsonNode sent = simulator
                .stats()
                .lastRequestBody()
                .orElseThrow()
                .path("messages")
                .get(1)
                .path("content");
        assertThat(sent.get(0).path("type").asText()).isEqualTo("thinking");
        assertThat(sent.get(1).path("type").asText()).isEqualTo("redacted_thinking");
    }

    @Test
    void aChangedThinkingSignatureIsRefusedAsTheRequestsFault() {
        ChatRequest forged = request("""
                {"model":"acme/claude","max_tokens":4000,"reasoning":{"max_tokens":1024},"messages":[
                  {"role":"user","content":"Weather?"},
                  {"role":"assistant","content":"Checking.","reasoning_details":[
                    {"type":"reasoning.text","text":"changed","signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","format":"anthropic-claude-v1"}]},
                  {"role":"user","content":"And?"}]}
                """);

        UpstreamException refused =
                catchThrowableOfType(UpstreamException.class, () -> adapter.complete(call(simulatorAttempt(), forged)));

        assertThat(refused.failure()).isEqualTo(UpstreamFailure.REJECTED);
        assertThat(refused.getMessage()).contains("signature");
    }

    @ParameterizedTest
    @CsvSource({
        "400,REJECTED",
        "401,PROVIDER_CLIENT_ERROR",
        "403,PROVIDER_CLIENT_ERROR",
        "404,PROVIDER_CLIENT_ERROR",
        "413,REJECTED",
        "429,RATE_LIMITED",
        "500,SERVER_ERROR",
        "529,SERVER_ERROR"
    })
    void classifiesAnthropicErrorsByStatusKeepingTheirMessageAndBody(int status, UpstreamFailure expected) {
        ChatRequest failing =
                request("{\"model\":\"acme/claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"simulator\":{\"fault\":\"status\",\"status\":" + status + ",\"retry_after\":7}}");

        UpstreamException failure = catchThrowableOfType(
                UpstreamException.class, () -> adapter.complete(call(simulatorAttempt(), failing)));

        assertThat(failure.failure()).isEqualTo(expected);
        assertThat(failure.upstreamStatus()).isEqualTo(status);
        assertThat(failure.getMessage()).startsWith("Simulated HTTP " + status);
        assertThat(failure.metadata().get("raw")).asString().contains("\"type\":\"error\"");
        assertThat(failure.retryAfter()).hasValue(Duration.ofSeconds(7));
    }

    @Test
    void anInStreamErrorEndsTheStreamAsAClassifiedFailure() {
        ChatRequest request = request("{\"model\":\"acme/claude\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"simulator\":{\"stream_error\":\"overloaded_error\",\"fault_after_tokens\":2}}");

        UpstreamException failure = catchThrowableOfType(UpstreamException.class, () -> streamed(request));

        assertThat(failure.failure()).isEqualTo(UpstreamFailure.SERVER_ERROR);
        assertThat(failure.upstreamStatus()).isEqualTo(529);
    }

    @ParameterizedTest
    @CsvSource({"malformed_chunk", "reset_mid_stream"})
    void aBrokenStreamIsMalformed(String fault) {
        ChatRequest request = request("{\"model\":\"acme/claude\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"simulator\":{\"fault\":\"" + fault + "\"}}");

        UpstreamException failure = catchThrowableOfType(UpstreamException.class, () -> streamed(request));

        assertThat(failure.failure()).isEqualTo(UpstreamFailure.MALFORMED);
    }

    private static List<StreamEvent> streamed(ChatRequest request) {
        try (EventStream stream = adapter.stream(call(simulatorAttempt(), request))) {
            return drain(stream);
        }
    }

    private static Attempt simulatorAttempt() {
        return attempt(simulator.rootUrl(), "claude-sim");
    }
}
