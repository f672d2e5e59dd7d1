package dev.switchboard.model.response;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompletionAssemblerTest {
    @Test
    void joinsTextDeltasIntoOneTextPart() {
        Completion completion = new CompletionAssembler()
                .accept(new StreamEvent.Started(Optional.of("up-1"), Optional.of("m")))
                .accept(new StreamEvent.TextDelta(0, "Hel"))
                .accept(new StreamEvent.TextDelta(0, ""))
                .accept(new StreamEvent.TextDelta(0, "lo"))
                .accept(new StreamEvent.Finished(0, FinishReason.STOP, Optional.of("end_turn")))
                .accept(new StreamEvent.UsageReported(new TokenUsage(3, 2, 0, 0, 0)))
                .build();

        assertThat(completion.upstreamId()).hasValue("up-1");
        assertThat(completion.choices()).singleElement().satisfies(choice -> {
            assertThat(choice.content()).containsExactly(ContentPart.Text.of("Hello"));
            assertThat(choice.finish()).hasValue(FinishReason.STOP);
            assertThat(choice.nativeFinish()).hasValue("end_turn");
        });
        assertThat(completion.usage()).hasValue(new TokenUsage(3, 2, 0, 0, 0));
    }

    @Test
    void reassemblesInterleavedToolCallFragmentsByIndex() {
        Completion completion = new CompletionAssembler()
                .acceptAll(List.of(
                        new StreamEvent.ToolCallDelta(0, 0, Optional.of("call_a"), Optional.of("weather"), ""),
                        new StreamEvent.ToolCallDelta(0, 1, Optional.of("call_b"), Optional.of("time"), "{\"tz\""),
                        new StreamEvent.ToolCallDelta(0, 0, Optional.empty(), Optional.empty(), "{\"city\":"),
                        new StreamEvent.ToolCallDelta(0, 1, Optional.empty(), Optional.empty(), ":\"UTC\"}"),
                        new StreamEvent.ToolCallDelta(0, 0, Optional.empty(), Optional.empty(), "\"Oslo\"}"),
                        new StreamEvent.Finished(0, FinishReason.TOOL_CALLS, Optional.of("tool_calls"))))
                .build();

        assertThat(completion.choices().getFirst().toolCalls())
                .containsExactly(
                        new ContentPart.ToolCall("call_a", "weather", "{\"city\":\"Oslo\"}", Extensions.NONE),
                        new ContentPart.ToolCall("call_b", "time", "{\"tz\":\"UTC\"}", Extensions.NONE));
    }

    @Test
    void keepsPartsInTheOrderTheyBegan() {
        ContentPart.Reasoning thought = reasoning("Let me", Optional.empty());
        Completion completion = new CompletionAssembler()
                .acceptAll(List.of(
                        new StreamEvent.ReasoningDelta(0, thought),
                        new StreamEvent.ReasoningDelta(0, reasoning(" think.", Optional.empty())),
                        new StreamEvent.ReasoningDelta(0, reasoning("", Optional.of("sig-1"))),
                        new StreamEvent.TextDelta(0, "Calling."),
                        new StreamEvent.ToolCallDelta(0, 0, Optional.of("t1"), Optional.of("f"), "{}"),
                        new StreamEvent.TextDelta(0, "Done.")))
                .build();

        List<ContentPart> content = completion.choices().getFirst().content();
        assertThat(content).hasSize(4);
        assertThat(content.get(0))
                .isEqualTo(new ContentPart.Reasoning(
                        ContentPart.Reasoning.Kind.TEXT,
                        "Let me think.",
                        Optional.of("sig-1"),
                        Optional.empty(),
                        Optional.empty(),
                        Extensions.NONE));
        assertThat(content.get(1)).isEqualTo(ContentPart.Text.of("Calling."));
        assertThat(content.get(2)).isInstanceOf(ContentPart.ToolCall.class);
        assertThat(content.get(3)).isEqualTo(ContentPart.Text.of("Done."));
    }

    @Test
    void aSignedThoughtIsNotContinuedByTheNext() {
        Completion completion = new CompletionAssembler()
                .acceptAll(List.of(
                        new StreamEvent.ReasoningDelta(0, reasoning("one", Optional.of("s1"))),
                        new StreamEvent.ReasoningDelta(0, reasoning("two", Optional.of("s2")))))
                .build();

        assertThat(completion.choices().getFirst().reasoning())
                .extracting(ContentPart.Reasoning::content)
                .containsExactly("one", "two");
    }

    @Test
    void keepsChoicesApartByIndex() {
        Completion completion = new CompletionAssembler()
                .acceptAll(List.of(
                        new StreamEvent.TextDelta(1, "b"),
                        new StreamEvent.TextDelta(0, "a"),
                        new StreamEvent.Finished(0, FinishReason.STOP, Optional.of("stop")),
                        new StreamEvent.Finished(1, FinishReason.LENGTH, Optional.of("length"))))
                .build();

        assertThat(completion.choices())
                .extracting(Choice::index, Choice::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, "a"), org.assertj.core.groups.Tuple.tuple(1, "b"));
    }

    @Test
    void refusalTextJoins() {
        Completion completion = new CompletionAssembler()
                .acceptAll(
                        List.of(new StreamEvent.RefusalDelta(0, "I can't"), new StreamEvent.RefusalDelta(0, " help.")))
                .build();

        assertThat(completion.choices().getFirst().refusal()).hasValue("I can't help.");
    }

    @Test
    void onlyContentEventsCommitARequest() {
        assertThat(StreamEvent.carriesContent(new StreamEvent.TextDelta(0, ""))).isFalse();
        assertThat(StreamEvent.carriesContent(new StreamEvent.Started(Optional.empty(), Optional.empty())))
                .isFalse();
        assertThat(StreamEvent.carriesContent(new StreamEvent.UsageReported(TokenUsage.ZERO)))
                .isFalse();
        assertThat(StreamEvent.carriesContent(new StreamEvent.TextDelta(0, "x")))
                .isTrue();
        assertThat(StreamEvent.carriesContent(
                        new StreamEvent.ToolCallDelta(0, 0, Optional.empty(), Optional.empty(), "")))
                .isTrue();
        assertThat(StreamEvent.carriesContent(new StreamEvent.Finished(0, FinishReason.STOP, Optional.empty())))
                .isTrue();
    }

    @Test
    void normalisesNativeFinishReasons() {
        assertThat(FinishReason.normalise("end_turn")).isEqualTo(FinishReason.STOP);
        assertThat(FinishReason.normalise("MAX_TOKENS")).isEqualTo(FinishReason.LENGTH);
        assertThat(FinishReason.normalise("tool_use")).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(FinishReason.normalise("SAFETY")).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(FinishReason.normalise("something_new")).isEqualTo(FinishReason.STOP);
    }

    private static ContentPart.Reasoning reasoning(String text, Optional<String> signature) {
        return new ContentPart.Reasoning(
                ContentPart.Reasoning.Kind.TEXT, text, signature, Optional.empty(), Optional.empty(), Extensions.NONE);
    }
}
