package dev.switchboard.provider.anthropic;

import static dev.switchboard.provider.anthropic.AnthropicCalls.drain;
import static dev.switchboard.provider.anthropic.AnthropicCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.response.Choice;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.CompletionAssembler;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.model.response.TokenUsage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden answers: Anthropic bodies and streams, written out by hand, decoded into the canonical completion. */
class AnthropicDecoderTest {

    @Test
    void decodesThinkingTextAndToolUseWithCacheUsage() {
        Completion completion = AnthropicDecoder.decode((ObjectNode) json("""
                        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                         "content":[
                           {"type":"thinking","thinking":"Need the tool.","signature":"c2ln"},
                           {"type":"redacted_thinking","data":"ZW5j"},
                           {"type":"text","text":"Checking.","citations":null},
                           {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"q":"x"}},
                           {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}},
                           {"type":"tool_use","id":"toolu_02","name":"now","input":{}}],
                         "stop_reason":"tool_use","stop_sequence":null,
                         "usage":{"input_tokens":100,"cache_creation_input_tokens":20,"cache_read_input_tokens":2000,
                                  "output_tokens":87,"output_tokens_details":{"thinking_tokens":30}}}
                        """), true, false);

        assertThat(completion.upstreamId()).hasValue("msg_01");
        assertThat(completion.upstreamModel()).hasValue("claude-sonnet-4-5");
        Choice choice = completion.choices().getFirst();
        assertThat(choice.content())
                .containsExactly(
                        AnthropicDecoder.reasoning(
                                ContentPart.Reasoning.Kind.TEXT, "Need the tool.", Optional.of("c2ln")),
                        AnthropicDecoder.reasoning(ContentPart.Reasoning.Kind.ENCRYPTED, "ZW5j", Optional.empty()),
                        ContentPart.Text.of("Checking."),
                        new ContentPart.ToolCall(
                                "toolu_01",
                                "get_weather",
                                "{\"city\":\"Paris\"}",
                                dev.switchboard.model.chat.Extensions.NONE),
                        new ContentPart.ToolCall("toolu_02", "now", "{}", dev.switchboard.model.chat.Extensions.NONE));
        assertThat(choice.finish()).hasValue(FinishReason.TOOL_CALLS);
        assertThat(choice.nativeFinish()).hasValue("tool_use");
        assertThat(completion.usage()).hasValue(new TokenUsage(2120, 87, 2000, 20, 30));
        assertThat(completion.usage().orElseThrow().total()).isEqualTo(2207);
    }

    @ParameterizedTest
    @CsvSource({
        "end_turn,STOP",
        "stop_sequence,STOP",
        "pause_turn,STOP",
        "max_tokens,LENGTH",
        "model_context_window_exceeded,LENGTH",
        "tool_use,TOOL_CALLS",
        "refusal,CONTENT_FILTER"
    })
    void mapsEveryStopReasonAndKeepsTheNativeOne(String stopReason, FinishReason expected) {
        Completion completion = AnthropicDecoder.decode(
                (ObjectNode) json("{\"id\":\"msg_1\",\"model\":\"m\",\"content\":[],\"stop_reason\":\"" + stopReason
                        + "\",\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}"),
                true,
                false);

        assertThat(completion.choices().getFirst().finish()).hasValue(expected);
        assertThat(completion.choices().getFirst().nativeFinish()).hasValue(stopReason);
    }

    @Test
    void leavesReasoningOutWhenTheClientExcludedIt() {
        Completion completion = AnthropicDecoder.decode((ObjectNode) json("""
                        {"id":"msg_1","model":"m","content":[{"type":"thinking","thinking":"t","signature":"s"},
                          {"type":"text","text":"answer"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2}}
                        """), false, false);

        assertThat(completion.choices().getFirst().content()).containsExactly(ContentPart.Text.of("answer"));
    }

    @Test
    void decodesTheStreamStateMachineIntoOneFinishAndOneUsage() {
        List<StreamEvent> events = events("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_01A","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":412,"cache_creation_input_tokens":0,"cache_read_input_tokens":2048,"output_tokens":3}}}

                event: ping
                data: {"type":"ping"}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"User wants weather; "}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"call the tool."}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCkYI"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Checking."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: content_block_start
                data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01B","name":"get_weather","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Pa"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"ris\\"}"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":2}

                event: content_block_start
                data: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_01C","name":"now","input":{}}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":3}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":87}}

                event: message_stop
                data: {"type":"message_stop"}

                """);

        assertThat(events.stream().filter(StreamEvent.Finished.class::isInstance))
                .hasSize(1);
        assertThat(events.stream().filter(StreamEvent.UsageReported.class::isInstance))
                .hasSize(1);
        assertThat(events)
                .filteredOn(StreamEvent.ToolCallDelta.class::isInstance)
                .extracting(e -> ((StreamEvent.ToolCallDelta) e).index())
                .as("calls numbered among calls, not among blocks")
                .containsExactly(0, 0, 0, 1, 1);
        Completion completion = new CompletionAssembler().acceptAll(events).build();
        Choice choice = completion.choices().getFirst();
        assertThat(choice.reasoning())
                .containsExactly(AnthropicDecoder.reasoning(
                        ContentPart.Reasoning.Kind.TEXT,
                        "User wants weather; call the tool.",
                        Optional.of("EqQBCkYI")));
        assertThat(choice.text()).isEqualTo("Checking.");
        assertThat(choice.toolCalls())
                .extracting(ContentPart.ToolCall::id, ContentPart.ToolCall::name, ContentPart.ToolCall::arguments)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("toolu_01B", "get_weather", "{\"city\": \"Paris\"}"),
                        org.assertj.core.groups.Tuple.tuple("toolu_01C", "now", "{}"));
        assertThat(choice.finish()).hasValue(FinishReason.TOOL_CALLS);
        assertThat(completion.usage()).hasValue(new TokenUsage(2460, 87, 2048, 0, 0));
    }

    @Test
    void anInStreamErrorIsTheProvidersClassifiedFailure() {
        UpstreamException failure = catchThrowableOfType(UpstreamException.class, () -> events("""
                        event: message_start
                        data: {"type":"message_start","message":{"id":"msg_1","model":"m","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}

                        event: error
                        data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                        """));

        assertThat(failure.failure()).isEqualTo(UpstreamFailure.SERVER_ERROR);
        assertThat(failure.upstreamStatus()).isEqualTo(529);
        assertThat(failure.getMessage()).isEqualTo("Overloaded");
    }

    @Test
    void aStreamThatEndsBeforeItsStopReasonBroke() {
        UpstreamException failure = catchThrowableOfType(UpstreamException.class, () -> events("""
                        data: {"type":"message_start","message":{"id":"msg_1","model":"m","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}

                        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                        """));

        assertThat(failure.failure()).isEqualTo(UpstreamFailure.MALFORMED);
    }

    @Test
    void aStreamThatLostOnlyItsLastEventStillFinishesOnce() {
        List<StreamEvent> events = events("""
                data: {"type":"message_start","message":{"id":"msg_1","model":"m","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}

                data: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":4}}

                """);

        assertThat(events)
                .filteredOn(StreamEvent.Finished.class::isInstance)
                .containsExactly(new StreamEvent.Finished(0, FinishReason.LENGTH, Optional.of("max_tokens")));
        assertThat(events)
                .filteredOn(StreamEvent.UsageReported.class::isInstance)
                .hasSize(1);
    }

    private static List<StreamEvent> events(String sse) {
        try (AnthropicEventStream stream = AnthropicEventStream.decoding(
                new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)),
                AnthropicCalls.JSON,
                CallControl.start(),
                AnthropicCalls.PROVIDER_NAME,
                1 << 20)) {
            return drain(stream);
        }
    }
}
