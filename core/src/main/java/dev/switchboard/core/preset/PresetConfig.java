package dev.switchboard.core.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a preset version holds, taken from a chat-completions request body: the configuration and the
 * system prompt.
 *
 * <p>Design note. A stored configuration has one shape whatever API made it or uses it: the
 * chat-completions request's, with its field names and values as {@code POST /chat/completions} takes
 * them. The system prompt is kept apart from it. A later ingress (Anthropic Messages, Responses) maps
 * its own body to this shape to create a preset ({@code system} or {@code instructions} becoming the
 * system prompt), and maps this shape to its own fields when it applies one, so that one stored preset
 * serves every API.
 *
 * <p>Every top-level field of the body is kept except those that belong to one conversation or one call
 * ({@link #DROPPED}): the messages (whose system messages become the system prompt, joined by a blank
 * line), a bare {@code prompt}, streaming, the end user and session, and {@code preset} itself. A preset
 * cannot name another preset.
 *
 * @param config a JSON object; callers neither change it nor hand it to code that might
 */
public record PresetConfig(Optional<String> systemPrompt, ObjectNode config) {
    /** Fields of a request body that a preset does not keep. */
    public static final Set<String> DROPPED = Set.of(
            "messages",
            "prompt",
            "input",
            "stream",
            "stream_options",
            "preset",
            "user",
            "session_id",
            "prompt_cache_key",
            "trace");

    public PresetConfig {
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        Objects.requireNonNull(config, "config");
    }

    /**
     * The preset a chat-completions body describes; the body is not changed.
     *
     * @throws GatewayException 400 when {@code model} or {@code models} names a preset, or a system
     *                          message is not text
     */
    public static PresetConfig fromChatCompletions(ObjectNode body) {
        ObjectNode config = body.deepCopy();
        config.remove(DROPPED);
        refuseNestedPreset(config);
        return new PresetConfig(systemPrompt(body.get("messages")), config);
    }

    private static void refuseNestedPreset(ObjectNode config) {
        if (PresetReference.namesPreset(config.get("model"))) {
            throw invalid("model", "A preset's `model` cannot name a preset");
        }
        JsonNode models = config.get("models");
        if (models != null && models.isArray()) {
            for (JsonNode model : models) {
                if (PresetReference.namesPreset(model)) {
                    throw invalid("models", "A preset's `models` cannot name a preset");
                }
            }
        }
    }

    private static Optional<String> systemPrompt(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            return Optional.empty();
        }
        if (!messages.isArray()) {
            throw invalid("messages", "`messages` must be an array");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (PresetMerge.isSystemMessage(message)) {
                text(message.get("content"), "messages[" + i + "].content").ifPresent(parts::add);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", parts));
    }

    /** A system message's text: a string, or the text of its content parts, which must all be text. */
    private static Optional<String> text(JsonNode content, String param) {
        if (content == null || content.isNull()) {
            return Optional.empty();
        }
        if (content.isTextual()) {
            return Optional.of(content.textValue());
        }
        if (!content.isArray()) {
            throw invalid(param, "A system message's content must be a string or text parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw invalid(param, "A preset's system prompt must be text; a system message has another part");
            }
            text.append(part.get("text").textValue());
        }
        return Optional.of(text.toString());
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
