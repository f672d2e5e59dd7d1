package dev.switchboard.core.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FinishReasonTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "stop, stop", "end_turn, stop", "stop_sequence, stop", "eos, stop", "complete, stop", "FINISH_REASON_STOP, stop",
            "length, length", "max_tokens, length", "model_length, length", "MAX_OUTPUT_TOKENS, length",
            "tool_calls, tool_calls", "function_call, tool_calls", "tool_use, tool_calls",
            "content_filter, content_filter", "SAFETY, content_filter", "recitation, content_filter",
            "blocklist, content_filter", "prohibited_content, content_filter", "refusal, content_filter",
            "error, error",
    })
    void normalisesNativeReasonsToOpenRoutersFive(String nativeReason, String expected) {
        assertThat(FinishReason.normalise(nativeReason)).isEqualTo(expected);
    }

    @Test
    void mapsUnknownReasonsToStop() {
        assertThat(FinishReason.normalise("something_new")).isEqualTo("stop");
        assertThat(FinishReason.normalise("")).isEqualTo("stop");
    }

    @Test
    void keepsAbsentReasonAbsent() {
        assertThat(FinishReason.normalise(null)).isNull();
    }
}
