package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.response.Choice;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.StreamEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes canonical answers in OpenAI's format, for a client of OpenAI's API whose answer came from a
 * provider of another format (the translating lane): a stream chunk per content event, and a whole
 * {@code chat.completion}. What belongs to the gateway's response (its id, the provider's name, the
 * usage with its cost) is added by the caller. {@code finish_reason} is written as the provider's own
 * reason, which the caller normalises, keeping the native one beside it, as it does for a relayed chunk.
 *
 * <p>Not thread-safe: one writer per response (it remembers which choices have had their role sent).
 */
public final class OpenAiAnswerWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final Set<Integer> roleSent = new HashSet<>(2);

    /** The chunk carrying this event; empty for events with no chunk of their own (identity, usage, native, end). */
    public Optional<ObjectNode> chunk(StreamEvent event) {
        return switch (event) {
            case StreamEvent.TextDelta delta -> Optional.of(chunk(delta.choice(), d -> d.put("content", delta.text())));
            case StreamEvent.ReasoningDelta delta ->
                Optional.of(chunk(delta.choice(), d -> reasoning(d, delta.piece())));
            case StreamEvent.ToolCallDelta delta -> Optional.of(chunk(delta.choice(), d -> toolCall(d, delta)));
            case StreamEvent.RefusalDelta delta ->
                Optional.of(chunk(delta.choice(), d -> d.put("refusal", delta.text())));
            case StreamEvent.Finished finished -> {
                ObjectNode chunk = chunk(finished.choice(), d -> {});
                ((ObjectNode) chunk.get("choices").get(0))
                        .put(
                                "finish_reason",
                                finished.nativeReason().orElse(finished.reason().wireName()));
                yield Optional.of(chunk);
            }
            case StreamEvent.Started ignored -> Optional.empty();
            case StreamEvent.UsageReported ignored -> Optional.empty();
            case StreamEvent.Native ignored -> Optional.empty();
            case StreamEvent.End ignored -> Optional.empty();
        };
    }

    private ObjectNode chunk(int choice, java.util.function.Consumer<ObjectNode> delta) {
        ObjectNode chunk = identified("chat.completion.chunk");
        ObjectNode entry = chunk.putArray("choices").addObject().put("index", choice);
        ObjectNode body = entry.putObject("delta");
        if (roleSent.add(choice)) {
            body.put("role", "assistant");
        }
        delta.accept(body);
        entry.putNull("finish_reason");
        return chunk;
    }

    private static void reasoning(ObjectNode delta, ContentPart.Reasoning piece) {
        if (piece.kind() == ContentPart.Reasoning.Kind.TEXT && !piece.content().isEmpty()) {
            delta.put("reasoning", piece.content());
        }
        delta.putArray("reasoning_details").add(OpenAiReasoning.write(piece, 0));
    }

    private static void toolCall(ObjectNode delta, StreamEvent.ToolCallDelta call) {
        ObjectNode entry = delta.putArray("tool_calls").addObject().put("index", call.index());
        call.id().ifPresent(id -> entry.put("id", id).put("type", "function"));
        ObjectNode function = entry.putObject("function");
        call.name().ifPresent(name -> function.put("name", name));
        function.put("arguments", call.arguments());
    }

    /** A whole {@code chat.completion} body without identity or usage. */
    public static ObjectNode completion(Completion completion) {
        ObjectNode out = identified("chat.completion");
        ArrayNode choices = out.putArray("choices");
        for (Choice choice : completion.choices()) {
            ObjectNode entry = choices.addObject().put("index", choice.index());
            ObjectNode message = message(choice.content());
            entry.set("message", message);
            choice.nativeFinish()
                    .or(() -> choice.finish().map(f -> f.wireName()))
                    .ifPresentOrElse(
                            reason -> entry.put("finish_reason", reason), () -> entry.putNull("finish_reason"));
            entry.putNull("logprobs");
        }
        return out;
    }

    /**
     * A new body whose identity fields come first, as in OpenAI's own; the caller fills them in (they
     * keep their place when set).
     */
    private static ObjectNode identified(String object) {
        ObjectNode out = NODES.objectNode();
        out.put("id", "");
        out.put("object", object);
        out.put("created", 0);
        out.put("model", "");
        return out;
    }

    /** An assistant message in OpenAI's form: content (or null), refusal, tool calls, reasoning. */
    private static ObjectNode message(List<ContentPart> parts) {
        ObjectNode message = (ObjectNode) OpenAiMessages.write(List.of(new Message(
                        Role.ASSISTANT, parts, Optional.empty(), dev.switchboard.model.chat.Extensions.NONE)))
                .get(0);
        if (message.get("content").isArray()) {
            // an answer's content is one string: text said before and after a tool call is joined
            StringBuilder text = new StringBuilder();
            message.get("content").forEach(part -> text.append(part.path("text").asText("")));
            message.put("content", text.toString());
        }
        if (!message.has("refusal")) {
            message.putNull("refusal");
        }
        return message;
    }
}
