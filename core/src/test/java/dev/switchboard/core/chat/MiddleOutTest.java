package dev.switchboard.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MiddleOutTest {
    /** One token per character, so that budgets read plainly. */
    private static long chars(List<Message> messages) {
        return messages.stream().mapToLong(m -> m.text().length()).sum();
    }

    private static List<Message> conversation(int turns) {
        List<Message> out = new ArrayList<>();
        out.add(Message.text(Role.SYSTEM, "S".repeat(10)));
        for (int i = 0; i < turns; i++) {
            out.add(Message.text(Role.USER, "u" + i + "-".repeat(8)));
            out.add(Message.text(Role.ASSISTANT, "a" + i + "-".repeat(8)));
        }
        out.add(Message.text(Role.USER, "Q".repeat(10)));
        return out;
    }

    @Test
    void aConversationThatFitsIsLeftAsItIs() {
        List<Message> messages = conversation(3);
        assertThat(MiddleOut.fit(messages, 1000, MiddleOutTest::chars)).containsSame(messages);
    }

    @Test
    void removesTurnsFromTheMiddleKeepingTheFirstAndTheLast() {
        List<Message> messages = conversation(10); // 10 + 20 * 10 + 10 = 220 characters
        List<Message> fitted =
                MiddleOut.fit(messages, 100, MiddleOutTest::chars).orElseThrow();

        assertThat(chars(fitted)).isLessThanOrEqualTo(100);
        assertThat(fitted.getFirst()).isEqualTo(messages.getFirst());
        assertThat(fitted.getLast()).isEqualTo(messages.getLast());
        assertThat(fitted).contains(messages.get(1), messages.get(messages.size() - 2)); // the ends go last
        assertThat(fitted).doesNotContain(messages.get(messages.size() / 2));
    }

    @Test
    void aToolResultLeavesWithTheCallItAnswers() {
        Message call = new Message(
                Role.ASSISTANT,
                List.of(new ContentPart.ToolCall("c1", "lookup", "{\"q\":\"xxxxxxxxxxxxxxxxxxxx\"}", Extensions.NONE)),
                Optional.empty(),
                Extensions.NONE);
        Message result = new Message(
                Role.TOOL,
                List.of(new ContentPart.ToolResult(
                        "c1",
                        List.of(new ContentPart.Text("r".repeat(40), Optional.empty(), Extensions.NONE)),
                        false,
                        Optional.empty(),
                        Extensions.NONE)),
                Optional.empty(),
                Extensions.NONE);
        List<Message> messages = List.of(
                Message.text(Role.SYSTEM, "S"),
                Message.text(Role.USER, "question one"),
                call,
                result,
                Message.text(Role.USER, "last"));
        // the tool result's text counts for 40; removing the call alone would leave it dangling
        List<Message> fitted = MiddleOut.fit(
                        messages,
                        20,
                        m -> m.stream()
                                .mapToLong(x ->
                                        x.role() == Role.TOOL ? 40 : x.text().length())
                                .sum())
                .orElseThrow();

        assertThat(fitted).doesNotContain(result);
        assertThat(fitted.stream().filter(m -> m.role() == Role.TOOL)).isEmpty();
    }

    @Test
    void whenOnlyTheEndsAreLeftTheLongestTextIsCutInItsMiddle() {
        List<Message> messages =
                List.of(Message.text(Role.SYSTEM, "rules"), Message.text(Role.USER, "A".repeat(100) + "Z".repeat(100)));
        List<Message> fitted =
                MiddleOut.fit(messages, 120, MiddleOutTest::chars).orElseThrow();

        String last = fitted.getLast().text();
        assertThat(chars(fitted)).isLessThanOrEqualTo(120);
        assertThat(last).startsWith("AAAA").endsWith("ZZZZ").contains(MiddleOut.CUT);
        assertThat(fitted.getFirst().text()).isEqualTo("rules");
    }

    @Test
    void countsEachTurnOnceHoweverManyAreRemoved() {
        List<Message> messages = conversation(500);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        List<Message> fitted = MiddleOut.fit(messages, 100, m -> {
                    calls.incrementAndGet();
                    return chars(m);
                })
                .orElseThrow();

        assertThat(chars(fitted)).isLessThanOrEqualTo(100);
        assertThat(calls.get()).isLessThanOrEqualTo(1000 + 2 + 3);
    }

    @Test
    void aBudgetNothingFitsIsEmpty() {
        assertThat(MiddleOut.fit(conversation(2), 3, MiddleOutTest::chars)).isEmpty();
    }
}
