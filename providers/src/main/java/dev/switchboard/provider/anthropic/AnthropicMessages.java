package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.CacheControl;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.MediaSource;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Canonical messages to Anthropic's {@code system} and {@code messages}.
 *
 * <p>Design note. Anthropic knows two roles and one system prompt, so: system and developer messages
 * are hoisted, in order, into {@code system} as text blocks (their {@code cache_control} kept); user and
 * tool messages are {@code user} turns, assistant messages {@code assistant} turns; and consecutive turns
 * of one role are merged into one, because the API refuses two in a row (a run of tool results becomes
 * one user turn, as parallel results must). Within a merged user turn the {@code tool_result} blocks go
 * first, and within an assistant turn the {@code thinking} blocks, as the API requires.
 *
 * <p>What cannot be sent is refused with a 400 rather than dropped: audio, a part type Anthropic does not
 * have, tool-call arguments that are not a JSON object, media in a system message. Reasoning is sent back
 * only when Anthropic can verify it: thinking text with its signature, or redacted thinking, of Anthropic's
 * format (or none named); reasoning from another provider, or unsigned, is left out, since Anthropic
 * would reject it. Message {@code name}s have no place and are left out; empty text blocks too (the API
 * rejects them). Stateless.
 */
final class AnthropicMessages {
    /** The {@code format} of reasoning that Anthropic produced and accepts back. */
    static final String REASONING_FORMAT = "anthropic-claude-v1";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper ARGUMENTS = new ObjectMapper();

    private AnthropicMessages() {}

    /** The {@code system} blocks of the conversation's system and developer messages; empty when it has none. */
    static Optional<ArrayNode> system(List<Message> messages) {
        ArrayNode system = NODES.arrayNode();
        for (Message message : messages) {
            if (message.role() != Role.SYSTEM && message.role() != Role.DEVELOPER) {
                continue;
            }
            for (ContentPart part : message.content()) {
                if (!(part instanceof ContentPart.Text text)) {
                    throw GatewayException.invalidRequest("Anthropic accepts only text in system messages");
                }
                if (!text.text().isEmpty()) {
                    system.add(textBlock(text.text(), text.cache()));
                }
            }
        }
        return system.isEmpty() ? Optional.empty() : Optional.of(system);
    }

    /** The {@code messages} array: every non-system turn, same-role runs merged. */
    static ArrayNode turns(List<Message> messages) {
        ArrayNode out = NODES.arrayNode(messages.size());
        String lastRole = "";
        List<ObjectNode> blocks = new ArrayList<>();
        for (Message message : messages) {
            String role = switch (message.role()) {
                case SYSTEM, DEVELOPER -> "";
                case USER, TOOL -> "user";
                case ASSISTANT -> "assistant";
            };
            if (role.isEmpty()) {
                continue;
            }
            List<ObjectNode> own = new ArrayList<>(message.content().size());
            for (ContentPart part : message.content()) {
                block(part).ifPresent(own::add);
            }
            if (own.isEmpty()) {
                continue; // a turn with nothing to send must not split the turns around it
            }
            if (!role.equals(lastRole) && !blocks.isEmpty()) {
                out.add(turn(lastRole, blocks));
                blocks = new ArrayList<>();
            }
            lastRole = role;
            blocks.addAll(own);
        }
        if (!blocks.isEmpty()) {
            out.add(turn(lastRole, blocks));
        }
        return out;
    }

    /** One turn; its leading blocks first ({@code tool_result} in user turns, thinking in assistant ones). */
    private static ObjectNode turn(String role, List<ObjectNode> blocks) {
        List<ObjectNode> ordered = new ArrayList<>(blocks.size());
        for (ObjectNode block : blocks) {
            if (leads(block)) {
                ordered.add(block);
            }
        }
        for (ObjectNode block : blocks) {
            if (!leads(block)) {
                ordered.add(block);
            }
        }
        ObjectNode turn = NODES.objectNode().put("role", role);
        if (ordered.size() == 1 && plainText(ordered.getFirst())) {
            turn.put("content", ordered.getFirst().path("text").asText());
        } else {
            turn.putArray("content").addAll(ordered);
        }
        return turn;
    }

    private static boolean leads(ObjectNode block) {
        String type = block.path("type").asText();
        return type.equals("tool_result") || type.equals("thinking") || type.equals("redacted_thinking");
    }

    private static boolean plainText(ObjectNode block) {
        return block.size() == 2 && block.path("type").asText().equals("text");
    }

    /** One content block for a part; empty for a part that is not sent (see the class note). */
    static Optional<ObjectNode> block(ContentPart part) {
        return switch (part) {
            case ContentPart.Text text ->
                text.text().isEmpty() ? Optional.empty() : Optional.of(textBlock(text.text(), text.cache()));
            case ContentPart.Image image -> Optional.of(image(image));
            case ContentPart.Document document ->
                Optional.of(document(document.source(), document.filename(), document.cache()));
            case ContentPart.Audio ignored ->
                throw GatewayException.invalidRequest("Anthropic does not accept audio input");
            case ContentPart.ToolCall call -> Optional.of(toolUse(call));
            case ContentPart.ToolResult result -> Optional.of(toolResult(result));
            case ContentPart.Reasoning reasoning -> thinking(reasoning);
            case ContentPart.Refusal refusal ->
                refusal.text().isEmpty() ? Optional.empty() : Optional.of(textBlock(refusal.text(), Optional.empty()));
            case ContentPart.Other other when other.type().startsWith("reasoning.") -> Optional.empty();
            case ContentPart.Other other ->
                throw GatewayException.invalidRequest(
                        "Anthropic does not accept content parts of type '" + other.type() + "'");
        };
    }

    static ObjectNode textBlock(String text, Optional<CacheControl> cache) {
        ObjectNode block = NODES.objectNode().put("type", "text").put("text", text);
        putCacheControl(block, cache);
        return block;
    }

    private static ObjectNode image(ContentPart.Image image) {
        if (image.source() instanceof MediaSource.Inline inline
                && inline.mediaType().equals("application/pdf")) {
            return document(inline, Optional.empty(), image.cache());
        }
        ObjectNode block = NODES.objectNode().put("type", "image");
        block.set("source", source(image.source()));
        putCacheControl(block, image.cache());
        return block;
    }

    private static ObjectNode document(MediaSource source, Optional<String> filename, Optional<CacheControl> cache) {
        ObjectNode block = NODES.objectNode().put("type", "document");
        if (source instanceof MediaSource.Inline inline && inline.mediaType().startsWith("text/plain")) {
            block.putObject("source")
                    .put("type", "text")
                    .put("media_type", "text/plain")
                    .put("data", decodeText(inline.base64()));
        } else {
            block.set("source", source(source));
        }
        filename.ifPresent(name -> block.put("title", name));
        putCacheControl(block, cache);
        return block;
    }

    private static String decodeText(String base64) {
        try {
            return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalidRequest("A text document's data is not valid base64");
        }
    }

    private static ObjectNode source(MediaSource source) {
        return switch (source) {
            case MediaSource.Url url -> NODES.objectNode().put("type", "url").put("url", url.url());
            case MediaSource.Inline inline ->
                NODES.objectNode()
                        .put("type", "base64")
                        .put("media_type", inline.mediaType())
                        .put("data", inline.base64());
            case MediaSource.FileId file ->
                NODES.objectNode().put("type", "file").put("file_id", file.id());
        };
    }

    private static ObjectNode toolUse(ContentPart.ToolCall call) {
        ObjectNode block =
                NODES.objectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
        block.set("input", arguments(call));
        return block;
    }

    /** The call's arguments as the JSON object Anthropic wants; no arguments at all are {@code {}}. */
    private static JsonNode arguments(ContentPart.ToolCall call) {
        if (call.arguments().isBlank()) {
            return NODES.objectNode();
        }
        try {
            JsonNode input = ARGUMENTS.readTree(call.arguments());
            if (input != null && input.isObject()) {
                return input;
            }
        } catch (IOException e) {
            // reported below, without the parser's message, which would quote the arguments
        }
        throw GatewayException.invalidRequest(
                "The arguments of tool call '" + call.id() + "' are not a JSON object, which Anthropic requires");
    }

    private static ObjectNode toolResult(ContentPart.ToolResult result) {
        ObjectNode block = NODES.objectNode().put("type", "tool_result").put("tool_use_id", result.toolCallId());
        List<ObjectNode> content = new ArrayList<>(result.content().size());
        for (ContentPart part : result.content()) {
            block(part).ifPresent(content::add);
        }
        if (content.size() == 1 && plainText(content.getFirst())) {
            block.put("content", content.getFirst().path("text").asText());
        } else if (!content.isEmpty()) {
            block.putArray("content").addAll(content);
        }
        if (result.error()) {
            block.put("is_error", true);
        }
        putCacheControl(block, result.cache());
        return block;
    }

    private static Optional<ObjectNode> thinking(ContentPart.Reasoning reasoning) {
        if (reasoning
                .format()
                .filter(format -> !format.equals(REASONING_FORMAT))
                .isPresent()) {
            return Optional.empty();
        }
        return switch (reasoning.kind()) {
            case TEXT ->
                reasoning
                        .signature()
                        .map(signature -> NODES.objectNode()
                                .put("type", "thinking")
                                .put("thinking", reasoning.content())
                                .put("signature", signature));
            case ENCRYPTED ->
                Optional.of(NODES.objectNode().put("type", "redacted_thinking").put("data", reasoning.content()));
            case SUMMARY -> Optional.empty();
        };
    }

    static void putCacheControl(ObjectNode into, Optional<CacheControl> cache) {
        cache.ifPresent(c -> {
            ObjectNode out = into.putObject("cache_control").put("type", c.type());
            c.ttl().ifPresent(ttl -> out.put("ttl", ttl));
        });
    }
}
