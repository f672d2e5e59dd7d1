package dev.switchboard.model.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One turn of a conversation.
 *
 * @param content    its parts in order; an assistant turn's tool calls and reasoning are parts too
 * @param name       the participant's name, where the wire format has one
 * @param extensions fields of the message with no place here
 */
public record Message(Role role, List<ContentPart> content, Optional<String> name, Extensions extensions) {
    public Message {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(extensions, "extensions");
    }

    /** A message of one text part. */
    public static Message text(Role role, String text) {
        return new Message(role, List.of(ContentPart.Text.of(text)), Optional.empty(), Extensions.NONE);
    }

    /** The text of its text parts, joined; what a token estimate counts. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text text) {
                out.append(text.text());
            }
        }
        return out.toString();
    }
}
