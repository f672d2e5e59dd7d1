package dev.switchboard.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.routing.health.AttemptOutcome.ToolUse;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolCallAuditTest {
    private final ToolCallAudit audit = new ToolCallAudit();

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"city\":\"Paris\",\"days\":[1,2]}", "  {\"a\":{\"b\":null}}  ", "", " "})
    void argumentsThatAreOneJsonObjectOrNothingAreWellFormed(String arguments) {
        assertThat(ToolCallAudit.wellFormed(arguments)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"city\":", "{\"city\":\"Paris\"}}", "[1,2]", "\"Paris\"", "{city: Paris}", "{} {}"})
    void otherArgumentsAreMalformed(String arguments) {
        assertThat(ToolCallAudit.wellFormed(arguments)).isFalse();
    }

    @Test
    void streamedArgumentsAreJudgedWholePerCall() {
        audit.append(delta(0, "{\"ci"));
        audit.append(delta(1, "{\"q\":"));
        audit.append(delta(0, "ty\":\"Paris\"}"));
        audit.append(delta(1, "1}"));
        assertThat(audit.verdict(Optional.of(FinishReason.TOOL_CALLS))).isEqualTo(ToolUse.OK);

        audit.append(delta(2, "{\"unfinished\":"));
        assertThat(audit.verdict(Optional.of(FinishReason.TOOL_CALLS))).isEqualTo(ToolUse.ERROR);
    }

    @Test
    void anAnswerCutOffByTheTokenLimitIsNotHeldAgainstTheEndpoint() {
        audit.append(delta(0, "{\"unfinished\":"));

        assertThat(audit.verdict(Optional.of(FinishReason.LENGTH))).isEqualTo(ToolUse.NONE);
    }

    @Test
    void aWholeAnswersCallsAreCheckedAndAResetForgetsThem() {
        audit.check(new ContentPart.ToolCall("call_1", "weather", "{\"city\":", Extensions.NONE));
        assertThat(audit.verdict(Optional.of(FinishReason.TOOL_CALLS))).isEqualTo(ToolUse.ERROR);

        audit.reset();
        audit.check(new ContentPart.ToolCall("call_1", "weather", "{\"city\":\"Paris\"}", Extensions.NONE));
        assertThat(audit.verdict(Optional.of(FinishReason.TOOL_CALLS))).isEqualTo(ToolUse.OK);
    }

    @Test
    void anAnswerWithoutToolCallsIsAnAnswer() {
        assertThat(audit.verdict(Optional.of(FinishReason.STOP))).isEqualTo(ToolUse.OK);
    }

    @Test
    void argumentsBeyondTheBoundAreNotJudged() {
        String piece = "{\"a\":\"" + "x".repeat(ToolCallAudit.MAX_CHARS / 2);
        audit.append(delta(0, piece));
        audit.append(delta(0, piece));

        assertThat(audit.verdict(Optional.of(FinishReason.TOOL_CALLS))).isEqualTo(ToolUse.NONE);
    }

    private static StreamEvent.ToolCallDelta delta(int index, String arguments) {
        return new StreamEvent.ToolCallDelta(0, index, Optional.empty(), Optional.empty(), arguments);
    }
}
