package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.chat.ContentPart;
import java.util.Optional;
import java.util.Set;

/**
 * OpenRouter's {@code reasoning_details} entries to canonical reasoning parts and back:
 * {@code reasoning.text} ({@code text}, {@code signature}), {@code reasoning.summary} ({@code summary}),
 * {@code reasoning.encrypted} ({@code data}); {@code id} and {@code format} are kept, and an entry of
 * another type is kept whole. Stateless.
 */
final class OpenAiReasoning {
    private static final Set<String> FIELDS =
            Set.of("type", "text", "summary", "data", "signature", "id", "format", "index");

    private OpenAiReasoning() {}

    static Optional<ContentPart> read(JsonNode detail) {
        String type = detail.path("type").asText("");
        ContentPart.Reasoning.Kind kind;
        String content;
        switch (type) {
            case "reasoning.text" -> {
                kind = ContentPart.Reasoning.Kind.TEXT;
                content = detail.path("text").asText("");
            }
            case "reasoning.summary" -> {
                kind = ContentPart.Reasoning.Kind.SUMMARY;
                content = detail.path("summary").asText("");
            }
            case "reasoning.encrypted" -> {
                kind = ContentPart.Reasoning.Kind.ENCRYPTED;
                content = detail.path("data").asText("");
            }
            default -> {
                return Optional.of(new ContentPart.Other(type, OpenAiJson.raw(detail)));
            }
        }
        return Optional.of(new ContentPart.Reasoning(
                kind,
                content,
                OpenAiJson.text(detail, "signature"),
                OpenAiJson.text(detail, "id"),
                OpenAiJson.text(detail, "format"),
                OpenAiJson.extensions(detail, FIELDS)));
    }

    /** A {@code reasoning_details} entry at position {@code index}. */
    static ObjectNode write(ContentPart.Reasoning reasoning, int index) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (reasoning.kind()) {
            case TEXT -> {
                out.put("type", "reasoning.text").put("text", reasoning.content());
                reasoning
                        .signature()
                        .ifPresentOrElse(signature -> out.put("signature", signature), () -> out.putNull("signature"));
            }
            case SUMMARY -> out.put("type", "reasoning.summary").put("summary", reasoning.content());
            case ENCRYPTED -> out.put("type", "reasoning.encrypted").put("data", reasoning.content());
        }
        reasoning.id().ifPresentOrElse(id -> out.put("id", id), () -> out.putNull("id"));
        out.put("format", reasoning.format().orElse("unknown"));
        out.put("index", index);
        OpenAiJson.putExtensions(out, reasoning.extensions());
        return out;
    }
}
