package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parts of an OpenAI chat-completions request that steer the simulated answer. Everything
 * else in the body is accepted and ignored (but recorded in {@link SimulatorStats}).
 *
 * @param model        the requested model, echoed back; any name is accepted
 * @param stream       whether to answer with server-sent events
 * @param includeUsage {@code stream_options.include_usage}
 * @param maxTokens    {@code max_completion_tokens}, else {@code max_tokens}
 * @param promptTokens characters of all message text / 4, rounded up, at least 1
 * @param messagesHash a stable 64-bit hash of every message's role and text
 * @param firstTool    the first function in {@code tools}
 * @param forcedTool   the function {@code tool_choice} demands: the named one, or the first
 *                     tool for {@code "required"}
 */
record ChatRequest(
        String model,
        boolean stream,
        boolean includeUsage,
        OptionalInt maxTokens,
        int promptTokens,
        long messagesHash,
        Optional<ToolSpec> firstTool,
        Optional<ToolSpec> forcedTool) {

    /**
     * A function the model may call.
     *
     * @param name       function name
     * @param parameters its JSON schema, or a missing node
     */
    record ToolSpec(String name, JsonNode parameters) {}

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    static ChatRequest parse(JsonNode body) {
        JsonNode model = body.path("model");
        if (!model.isTextual() || model.asText().isEmpty()) {
            throw new RequestRejected(OpenAiError.missingParameter("model"));
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray()) {
            throw new RequestRejected(OpenAiError.missingParameter("messages"));
        }
        if (messages.isEmpty()) {
            throw new RequestRejected(OpenAiError.invalidParameter(
                    "messages", "Invalid 'messages': empty array. Expected an array with minimum length 1."));
        }
        Optional<ToolSpec> firstTool = firstTool(body.path("tools"));
        return new ChatRequest(
                model.asText(),
                body.path("stream").asBoolean(false),
                body.path("stream_options").path("include_usage").asBoolean(false),
                maxTokens(body),
                promptTokens(messages),
                hash(messages),
                firstTool,
                forcedTool(body.path("tool_choice"), body.path("tools"), firstTool));
    }

    private static OptionalInt maxTokens(JsonNode body) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode value = body.path(field);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
                throw new RequestRejected(OpenAiError.invalidParameter(
                        field, "Invalid '" + field + "': expected an integer of at least 1."));
            }
            return OptionalInt.of(value.asInt());
        }
        return OptionalInt.empty();
    }

    private static int promptTokens(JsonNode messages) {
        long characters = 0;
        for (JsonNode message : messages) {
            characters += text(message.path("content")).length();
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (characters + 3) / 4));
    }

    private static long hash(JsonNode messages) {
        long hash = FNV_OFFSET;
        for (JsonNode message : messages) {
            hash = mix(hash, message.path("role").asText());
            hash = mix(hash, text(message.path("content")));
        }
        return hash;
    }

    private static long mix(long hash, String text) {
        long h = hash;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * FNV_PRIME;
        }
        return (h ^ 0xff) * FNV_PRIME; // separator, so ("ab","c") and ("a","bc") differ
    }

    /** The text of a message's content: a string, or the {@code text} of each content part. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    private static Optional<ToolSpec> firstTool(JsonNode tools) {
        if (!tools.isArray() || tools.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(toolSpec(tools.get(0).path("function")));
    }

    private static Optional<ToolSpec> forcedTool(JsonNode choice, JsonNode tools, Optional<ToolSpec> firstTool) {
        if (firstTool.isEmpty()) {
            return Optional.empty();
        }
        if (choice.isTextual()) {
            return "required".equals(choice.asText()) ? firstTool : Optional.empty();
        }
        String name = choice.path("function").path("name").asText("");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode tool : tools) {
            if (name.equals(tool.path("function").path("name").asText())) {
                return Optional.of(toolSpec(tool.path("function")));
            }
        }
        return Optional.of(new ToolSpec(name, MissingNode.getInstance()));
    }

    private static ToolSpec toolSpec(JsonNode function) {
        String name = function.path("name").asText("");
        return new ToolSpec(name.isEmpty() ? "simulated_function" : name, function.path("parameters"));
    }
}
