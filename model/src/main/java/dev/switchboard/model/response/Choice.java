package dev.switchboard.model.response;

import dev.switchboard.model.chat.ContentPart;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One answer of a completion: the assistant's parts in the order they came (reasoning, text, tool calls,
 * refusal), and why it ended.
 */
public record Choice(
        int index, List<ContentPart> content, Optional<FinishReason> finish, Optional<String> nativeFinish) {
    public Choice {
        content = List.copyOf(content);
        Objects.requireNonNull(finish, "finish");
        Objects.requireNonNull(nativeFinish, "nativeFinish");
    }

    /** The answer's text: its text parts joined. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text text) {
                out.append(text.text());
            }
        }
        return out.toString();
    }

    public List<ContentPart.ToolCall> toolCalls() {
        return content.stream()
                .filter(ContentPart.ToolCall.class::isInstance)
                .map(ContentPart.ToolCall.class::cast)
                .toList();
    }

    public List<ContentPart.Reasoning> reasoning() {
        return content.stream()
                .filter(ContentPart.Reasoning.class::isInstance)
                .map(ContentPart.Reasoning.class::cast)
                .toList();
    }

    public Optional<String> refusal() {
        return content.stream()
                .filter(ContentPart.Refusal.class::isInstance)
                .map(p -> ((ContentPart.Refusal) p).text())
                .reduce(String::concat);
    }
}
