package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.MediaSource;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * OpenAI chat messages to canonical {@link Message}s and back.
 *
 * <p>Mapping: {@code content} (a string, or an array of {@code text}, {@code image_url},
 * {@code input_audio}, {@code file} parts; any other part type is kept whole as {@link
 * ContentPart.Other}) becomes the message's parts. An assistant turn's reasoning comes first
 * (OpenRouter's {@code reasoning_details} with signatures, else the plain {@code reasoning} or DeepSeek's
 * {@code reasoning_content}), then its content, its {@code refusal} and its {@code tool_calls}. A
 * {@code tool} message is one {@link ContentPart.ToolResult}; the deprecated {@code function} role is
 * read as a tool result for the call named by {@code name}. {@code cache_control} on a part is kept.
 * Every other field of a message or part rides in its extensions. Stateless.
 */
public final class OpenAiMessages {
    private static final Set<String> MESSAGE_FIELDS = Set.of(
            "role",
            "content",
            "name",
            "tool_calls",
            "tool_call_id",
            "refusal",
            "reasoning",
            "reasoning_content",
            "reasoning_details");
    private static final Set<String> TEXT_PART_FIELDS = Set.of("type", "text", "cache_control");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenAiMessages() {}

    /** Reads messages whose roles and content types have been checked. */
    public static List<Message> read(JsonNode messages) {
        List<Message> out = new ArrayList<>(messages.size());
        for (JsonNode message : messages) {
            out.add(readMessage(message));
        }
        return out;
    }

    private static Message readMessage(JsonNode message) {
        String roleName = message.path("role").asText();
        Optional<String> name = OpenAiJson.text(message, "name");
        Extensions extensions = OpenAiJson.extensions(message, MESSAGE_FIELDS);
        return switch (roleName) {
            case "tool" ->
                new Message(
                        Role.TOOL,
                        List.of(toolResult(message.path("tool_call_id").asText(""), message)),
                        name,
                        extensions);
            case "function" -> new Message(Role.TOOL, List.of(toolResult(name.orElse(""), message)), name, extensions);
            case "assistant" -> new Message(Role.ASSISTANT, assistantParts(message), name, extensions);
            default ->
                new Message(
                        Role.valueOf(roleName.toUpperCase(Locale.ROOT)),
                        parts(message.get("content")),
                        name,
                        extensions);
        };
    }

    private static ContentPart.ToolResult toolResult(String toolCallId, JsonNode message) {
        return new ContentPart.ToolResult(
                toolCallId, parts(message.get("content")), false, Optional.empty(), Extensions.NONE);
    }

    private static List<ContentPart> assistantParts(JsonNode message) {
        List<ContentPart> parts = new ArrayList<>(reasoning(message));
        parts.addAll(parts(message.get("content")));
        OpenAiJson.text(message, "refusal")
                .filter(r -> !r.isEmpty())
                .ifPresent(refusal -> parts.add(new ContentPart.Refusal(refusal, Extensions.NONE)));
        for (JsonNode call : message.path("tool_calls")) {
            parts.add(toolCall(call));
        }
        return parts;
    }

    private static ContentPart.ToolCall toolCall(JsonNode call) {
        JsonNode function = call.path("function");
        JsonNode arguments = function.path("arguments");
        return new ContentPart.ToolCall(
                call.path("id").asText(""),
                function.path("name").asText(""),
                arguments.isTextual() ? arguments.textValue() : arguments.isMissingNode() ? "" : arguments.toString(),
                OpenAiJson.extensions(call, Set.of("id", "type", "function")));
    }

    /** An assistant turn's reasoning: its details when given (they carry the signatures), else its plain text. */
    static List<ContentPart> reasoning(JsonNode message) {
        JsonNode details = message.get("reasoning_details");
        if (details != null && details.isArray() && !details.isEmpty()) {
            List<ContentPart> parts = new ArrayList<>(details.size());
            for (JsonNode detail : details) {
                OpenAiReasoning.read(detail).ifPresent(parts::add);
            }
            return parts;
        }
        Optional<String> text =
                OpenAiJson.text(message, "reasoning").or(() -> OpenAiJson.text(message, "reasoning_content"));
        return text.filter(t -> !t.isEmpty())
                .<List<ContentPart>>map(t -> List.of(new ContentPart.Reasoning(
                        ContentPart.Reasoning.Kind.TEXT,
                        t,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Extensions.NONE)))
                .orElse(List.of());
    }

    /** The parts of a {@code content} value: none for null, one text part for a string, each part of an array. */
    static List<ContentPart> parts(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return List.of();
        }
        if (content.isTextual()) {
            return List.of(ContentPart.Text.of(content.textValue()));
        }
        List<ContentPart> parts = new ArrayList<>(content.size());
        for (JsonNode part : content) {
            parts.add(part(part));
        }
        return parts;
    }

    private static ContentPart part(JsonNode part) {
        String type = part.path("type").asText("");
        return switch (type) {
            case "text" ->
                new ContentPart.Text(
                        part.path("text").asText(""),
                        OpenAiJson.cacheControl(part),
                        OpenAiJson.extensions(part, TEXT_PART_FIELDS));
            case "image_url" ->
                new ContentPart.Image(
                        OpenAiJson.source(imageUrl(part)),
                        OpenAiJson.text(part.path("image_url"), "detail"),
                        OpenAiJson.cacheControl(part),
                        OpenAiJson.extensions(part, Set.of("type", "image_url", "cache_control")));
            case "input_audio" ->
                new ContentPart.Audio(
                        part.path("input_audio").path("data").asText(""),
                        part.path("input_audio").path("format").asText(""),
                        OpenAiJson.extensions(part, Set.of("type", "input_audio")));
            case "file" -> document(part);
            default -> new ContentPart.Other(type, OpenAiJson.raw(part));
        };
    }

    private static String imageUrl(JsonNode part) {
        JsonNode imageUrl = part.path("image_url");
        return imageUrl.isTextual()
                ? imageUrl.textValue()
                : imageUrl.path("url").asText("");
    }

    private static ContentPart document(JsonNode part) {
        JsonNode file = part.path("file");
        Optional<String> data = OpenAiJson.text(file, "file_data");
        MediaSource source = data.map(d ->
                        d.startsWith("data:") ? OpenAiJson.source(d) : new MediaSource.Inline("application/pdf", d))
                .orElseGet(() -> new MediaSource.FileId(file.path("file_id").asText("")));
        return new ContentPart.Document(
                source,
                OpenAiJson.text(file, "filename"),
                OpenAiJson.cacheControl(part),
                OpenAiJson.extensions(part, Set.of("type", "file", "cache_control")));
    }

    /**
     * Writes canonical messages as OpenAI chat messages. Tool results are {@code tool} messages of their
     * own in OpenAI's format, so a turn that carries them (Anthropic's user turn of {@code tool_result}
     * blocks) becomes one {@code tool} message per result, then the rest of the turn.
     */
    public static ArrayNode write(List<Message> messages) {
        ArrayNode out = NODES.arrayNode(messages.size());
        for (Message message : messages) {
            List<ContentPart> rest = new ArrayList<>(message.content().size());
            for (ContentPart part : message.content()) {
                if (part instanceof ContentPart.ToolResult result) {
                    out.add(toolMessage(result, message));
                } else {
                    rest.add(part);
                }
            }
            if (!rest.isEmpty()
                    || (message.role() != Role.TOOL
                            && rest.size() == message.content().size())) {
                out.add(write(message, rest));
            }
        }
        return out;
    }

    private static ObjectNode toolMessage(ContentPart.ToolResult result, Message message) {
        ObjectNode out = NODES.objectNode().put("role", "tool").put("tool_call_id", result.toolCallId());
        out.set("content", content(result.content()));
        if (message.role() == Role.TOOL) {
            message.name().ifPresent(name -> out.put("name", name));
            OpenAiJson.putExtensions(out, message.extensions());
        }
        return out;
    }

    private static ObjectNode write(Message message, List<ContentPart> parts) {
        ObjectNode out = NODES.objectNode();
        if (message.role() == Role.ASSISTANT) {
            writeAssistant(parts, out);
        } else {
            out.put(
                    "role",
                    message.role() == Role.TOOL ? "user" : message.role().name().toLowerCase(Locale.ROOT));
            out.set("content", content(parts));
        }
        message.name().ifPresent(name -> out.put("name", name));
        OpenAiJson.putExtensions(out, message.extensions());
        return out;
    }

    private static void writeAssistant(List<ContentPart> parts, ObjectNode out) {
        out.put("role", "assistant");
        List<ContentPart> content = new ArrayList<>();
        ArrayNode calls = NODES.arrayNode();
        ArrayNode details = NODES.arrayNode();
        StringBuilder reasoningText = new StringBuilder();
        for (ContentPart part : parts) {
            switch (part) {
                case ContentPart.ToolCall call -> calls.add(toolCall(call));
                case ContentPart.Reasoning reasoning -> {
                    details.add(OpenAiReasoning.write(reasoning, details.size()));
                    if (reasoning.kind() == ContentPart.Reasoning.Kind.TEXT) {
                        reasoningText.append(reasoning.content());
                    }
                }
                case ContentPart.Refusal refusal -> out.put("refusal", refusal.text());
                case ContentPart.Other other
                when other.type().startsWith("reasoning.") ->
                    details.addRawValue(new com.fasterxml.jackson.databind.util.RawValue(
                            other.part().text()));
                default -> content.add(part);
            }
        }
        out.set("content", content.isEmpty() ? NODES.nullNode() : content(content));
        if (!calls.isEmpty()) {
            out.set("tool_calls", calls);
        }
        if (!details.isEmpty()) {
            if (!reasoningText.isEmpty()) {
                out.put("reasoning", reasoningText.toString());
            }
            out.set("reasoning_details", details);
        }
    }

    private static ObjectNode toolCall(ContentPart.ToolCall call) {
        ObjectNode out = NODES.objectNode().put("id", call.id()).put("type", "function");
        out.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        OpenAiJson.putExtensions(out, call.extensions());
        return out;
    }

    /** A content value: a plain string for one plain text part, else an array of parts. */
    static JsonNode content(List<ContentPart> parts) {
        if (parts.size() == 1
                && parts.getFirst() instanceof ContentPart.Text text
                && text.cache().isEmpty()
                && text.extensions().isEmpty()) {
            return NODES.textNode(text.text());
        }
        ArrayNode out = NODES.arrayNode(parts.size());
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Other other) {
                out.addRawValue(new com.fasterxml.jackson.databind.util.RawValue(
                        other.part().text()));
            } else {
                writePart(part).ifPresent(out::add);
            }
        }
        return out;
    }

    /** One part of a content array; empty for parts that have no place in one (tool calls, reasoning). */
    private static Optional<ObjectNode> writePart(ContentPart part) {
        ObjectNode out = NODES.objectNode();
        switch (part) {
            case ContentPart.Text text -> {
                out.put("type", "text").put("text", text.text());
                OpenAiJson.putCacheControl(out, text.cache());
            }
            case ContentPart.Image image -> {
                out.put("type", "image_url");
                ObjectNode url = out.putObject("image_url").put("url", OpenAiJson.url(image.source()));
                image.detail().ifPresent(detail -> url.put("detail", detail));
                OpenAiJson.putCacheControl(out, image.cache());
            }
            case ContentPart.Document document -> {
                out.put("type", "file");
                ObjectNode file = out.putObject("file");
                document.filename().ifPresent(name -> file.put("filename", name));
                if (document.source() instanceof MediaSource.FileId id) {
                    file.put("file_id", id.id());
                } else {
                    file.put("file_data", OpenAiJson.url(document.source()));
                }
                OpenAiJson.putCacheControl(out, document.cache());
            }
            case ContentPart.Audio audio ->
                out.put("type", "input_audio")
                        .putObject("input_audio")
                        .put("data", audio.base64())
                        .put("format", audio.format());
            case ContentPart.Refusal refusal -> out.put("type", "refusal").put("refusal", refusal.text());
            case ContentPart.ToolResult ignored -> {
                return Optional.empty();
            }
            case ContentPart.ToolCall ignored -> {
                return Optional.empty();
            }
            case ContentPart.Reasoning ignored -> {
                return Optional.empty();
            }
            case ContentPart.Other ignored -> {
                return Optional.empty();
            }
        }
        OpenAiJson.putExtensions(out, part.extensions());
        return Optional.of(out);
    }
}
