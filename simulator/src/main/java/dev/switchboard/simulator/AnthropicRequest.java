package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.simulator.ChatRequest.ToolSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A {@code POST /v1/messages} body, checked as Anthropic checks it and read into what steers the
 * simulated answer.
 *
 * <p>The checks are the ones a translating client gets wrong, so that a test against the simulator
 * fails where the real API would: {@code model}, {@code max_tokens} and {@code messages} are required;
 * only Anthropic's own top-level fields are accepted (plus {@code simulator}); roles alternate between
 * {@code user} and {@code assistant}; block types are Anthropic's and text blocks are not empty; every
 * {@code tool_use} of an assistant turn is answered by a {@code tool_result} at the front of the next
 * user turn; a returned {@code thinking} block carries the signature the simulator gave it
 * ({@link AnthropicThinkingText}); {@code temperature} is within 0..1; stop sequences are not blank;
 * {@code thinking.budget_tokens} is at least 1024 and below {@code max_tokens}, and thinking does not
 * go with a forced tool.
 *
 * @param chat       the parts the {@link CompletionPlanner} needs, with the usual meanings
 * @param thinking   whether extended thinking is on
 * @param tools      the custom tools, in order
 * @param callable   the tools a tool-calling answer may call, in order: the forced one, else all
 * @param serialTools whether parallel tool use is disabled (one call at most)
 */
record AnthropicRequest(
        ChatRequest chat, boolean thinking, List<ToolSpec> tools, List<ToolSpec> callable, boolean serialTools) {

    private static final Set<String> TOP_LEVEL = Set.of(
            "model",
            "max_tokens",
            "messages",
            "system",
            "temperature",
            "top_p",
            "top_k",
            "stop_sequences",
            "stream",
            "tools",
            "tool_choice",
            "thinking",
            "output_config",
            "metadata",
            "cache_control",
            "service_tier",
            "container",
            "context_management",
            "mcp_servers",
            "inference_geo",
            ControlSource.BODY_FIELD);
    private static final Set<String> BLOCK_TYPES = Set.of(
            "text",
            "image",
            "document",
            "tool_use",
            "tool_result",
            "thinking",
            "redacted_thinking",
            "search_result",
            "server_tool_use",
            "web_search_tool_result");
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    static AnthropicRequest parse(JsonNode body) {
        checkRequired(body);
        int maxTokens = body.path("max_tokens").asInt();
        JsonNode messages = body.path("messages");
        checkSampling(body);
        boolean thinking = thinking(body.path("thinking"), maxTokens);
        checkMessages(messages);
        List<ToolSpec> tools = tools(body.path("tools"));
        JsonNode choice = body.path("tool_choice");
        List<ToolSpec> callable = callable(choice, tools);
        Optional<ToolSpec> forced = forced(choice, callable);
        if (thinking && forced.isPresent()) {
            throw rejected("Thinking may not be enabled when tool_choice forces tool use.");
        }
        ChatRequest chat = new ChatRequest(
                body.path("model").asText(),
                body.path("stream").asBoolean(false),
                true,
                OptionalInt.of(maxTokens),
                promptTokens(body.path("system"), messages),
                hash(messages),
                callable.isEmpty() ? Optional.empty() : Optional.of(callable.getFirst()),
                forced);
        return new AnthropicRequest(
                chat,
                thinking,
                tools,
                callable,
                choice.path("disable_parallel_tool_use").asBoolean(false));
    }

    /** Only Anthropic's fields, and the three it requires. */
    private static void checkRequired(JsonNode body) {
        body.fieldNames().forEachRemaining(field -> {
            if (!TOP_LEVEL.contains(field)) {
                throw rejected(field + ": Extra inputs are not permitted");
            }
        });
        JsonNode model = body.path("model");
        if (!model.isTextual() || model.asText().isEmpty()) {
            throw rejected("model: Field required");
        }
        JsonNode maxTokens = body.path("max_tokens");
        if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1) {
            throw rejected("max_tokens: Field required (an integer of at least 1)");
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw rejected("messages: at least one message is required");
        }
    }

    private static void checkSampling(JsonNode body) {
        JsonNode temperature = body.path("temperature");
        if (!temperature.isMissingNode()
                && (!temperature.isNumber() || temperature.asDouble() < 0 || temperature.asDouble() > 1)) {
            throw rejected("temperature: Input should be less than or equal to 1");
        }
        for (JsonNode stop : body.path("stop_sequences")) {
            if (!stop.isTextual() || stop.asText().isBlank()) {
                throw rejected("stop_sequences: each stop sequence must contain non-whitespace");
            }
        }
    }

    private static boolean thinking(JsonNode thinking, int maxTokens) {
        if (thinking.isMissingNode() || !thinking.path("type").asText().equals("enabled")) {
            return false;
        }
        int budget = thinking.path("budget_tokens").asInt(0);
        if (budget < 1024) {
            throw rejected("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
        }
        if (budget >= maxTokens) {
            throw rejected("`max_tokens` must be greater than `thinking.budget_tokens`");
        }
        return true;
    }

    private static void checkMessages(JsonNode messages) {
        String lastRole = "";
        Set<String> unanswered = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw rejected("messages." + i + ".role: Input should be 'user' or 'assistant'");
            }
            if (role.equals(lastRole)) {
                throw rejected("messages: roles must alternate between \"user\" and \"assistant\"");
            }
            lastRole = role;
            List<JsonNode> blocks = blocks(message.path("content"), i);
            if (role.equals("user")) {
                answer(blocks, unanswered, i);
            } else {
                for (JsonNode block : blocks) {
                    checkAssistantBlock(block, unanswered, i);
                }
            }
        }
    }

    /** The user turn's tool results, which must come first, answer every call of the turn before. */
    private static void answer(List<JsonNode> blocks, Set<String> unanswered, int index) {
        boolean pastResults = false;
        for (JsonNode block : blocks) {
            if (block.path("type").asText().equals("tool_result")) {
                if (pastResults) {
                    throw rejected("messages." + index + ": tool_result blocks must come before any other content");
                }
                unanswered.remove(block.path("tool_use_id").asText());
            } else {
                pastResults = true;
            }
        }
        if (!unanswered.isEmpty()) {
            throw rejected(
                    "messages." + index + ": `tool_use` ids were found without `tool_result` blocks immediately after");
        }
    }

    private static void checkAssistantBlock(JsonNode block, Set<String> unanswered, int index) {
        switch (block.path("type").asText()) {
            case "tool_use" -> {
                if (!block.path("input").isObject()) {
                    throw rejected("messages." + index + ": tool_use.input must be an object");
                }
                unanswered.add(block.path("id").asText());
            }
            case "thinking" -> {
                if (!AnthropicThinkingText.signs(
                        block.path("thinking").asText(""),
                        block.path("signature").asText(""))) {
                    throw rejected("messages." + index + ": Invalid `signature` in `thinking` block");
                }
            }
            case "tool_result" -> throw rejected("messages." + index + ": tool_result blocks belong in user turns");
            default -> {
                // text, and the rest, need nothing here
            }
        }
    }

    private static List<JsonNode> blocks(JsonNode content, int index) {
        if (content.isTextual()) {
            if (content.asText().isEmpty()) {
                throw rejected("messages." + index + ": text content blocks must be non-empty");
            }
            return List.of();
        }
        if (!content.isArray() || content.isEmpty()) {
            throw rejected("messages." + index + ".content: a string or a non-empty list of blocks is required");
        }
        List<JsonNode> blocks = new ArrayList<>(content.size());
        for (JsonNode block : content) {
            String type = block.path("type").asText("");
            if (!BLOCK_TYPES.contains(type)) {
                throw rejected("messages." + index + ".content: unknown block type '" + type + "'");
            }
            if (type.equals("text") && block.path("text").asText("").isEmpty()) {
                throw rejected("messages." + index + ": text content blocks must be non-empty");
            }
            blocks.add(block);
        }
        return blocks;
    }

    private static List<ToolSpec> tools(JsonNode tools) {
        List<ToolSpec> specs = new ArrayList<>();
        for (JsonNode tool : tools) {
            if (tool.has("input_schema")) {
                specs.add(new ToolSpec(tool.path("name").asText("simulated_function"), tool.path("input_schema")));
            }
        }
        return specs;
    }

    private static List<ToolSpec> callable(JsonNode choice, List<ToolSpec> tools) {
        return switch (choice.path("type").asText("auto")) {
            case "none" -> List.of();
            case "tool" -> {
                String name = choice.path("name").asText("");
                yield List.of(tools.stream()
                        .filter(tool -> tool.name().equals(name))
                        .findFirst()
                        .orElse(new ToolSpec(name, MissingNode.getInstance())));
            }
            default -> tools;
        };
    }

    private static Optional<ToolSpec> forced(JsonNode choice, List<ToolSpec> callable) {
        String type = choice.path("type").asText("auto");
        return (type.equals("any") || type.equals("tool")) && !callable.isEmpty()
                ? Optional.of(callable.getFirst())
                : Optional.empty();
    }

    private static int promptTokens(JsonNode system, JsonNode messages) {
        long characters = text(system).length();
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
        return (h ^ 0xff) * FNV_PRIME;
    }

    /** The text of a content value: a string, or the {@code text} of each block (and of tool results). */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            text.append(block.path("text").asText(""));
            if (block.path("content").isTextual() || block.path("content").isArray()) {
                text.append(text(block.path("content")));
            }
        }
        return text.toString();
    }

    private static RequestRejected rejected(String message) {
        return new RequestRejected(OpenAiError.invalidRequest(message));
    }
}
