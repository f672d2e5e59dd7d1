package dev.switchboard.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.GatewayException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Checks a chat-completions body and builds the canonical {@link ChatRequest}.
 *
 * <p>Only the fields whose type the gateway relies on, or that providers would reject with a less
 * helpful message, are checked; everything else passes through untouched. Every rejection is a 400
 * naming the offending field in {@code metadata.param}. A bare {@code prompt} string is accepted in
 * place of {@code messages} (OpenRouter allows it) and turned into one user message.
 */
public final class ChatRequestParser {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final List<String> NUMBER_FIELDS = List.of("temperature", "top_p", "top_k", "frequency_penalty",
            "presence_penalty", "repetition_penalty", "min_p", "top_a");
    private static final List<String> INTEGER_FIELDS = List.of("seed", "n", "top_logprobs");
    private static final List<String> BOOLEAN_FIELDS = List.of("stream", "logprobs", "parallel_tool_calls");
    private static final List<String> OBJECT_FIELDS = List.of("response_format", "stream_options", "logit_bias",
            "provider", "reasoning", "metadata", "prediction", "usage", "debug", "trace");
    private static final List<String> ARRAY_FIELDS = List.of("tools", "models", "plugins", "transforms");

    /** Parses a body already known to be valid JSON. */
    public ChatRequest parse(JsonNode root, Attribution headerAttribution) {
        if (root == null || !root.isObject()) {
            throw GatewayException.invalidRequest("Request body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) root;
        String model = requiredModel(body);
        checkMessages(body);
        checkScalarTypes(body);
        OptionalLong maxTokens = maxTokens(body);
        ProviderPreferences provider = providerPreferences(body.get("provider"));
        String user = user(body);
        Attribution attribution = Attribution.of(headerAttribution.httpReferer().orElse(null),
                headerAttribution.appTitle().orElse(null), user);
        return new ChatRequest(model, body.path("stream").asBoolean(false), maxTokens, provider, attribution, body);
    }

    private static String requiredModel(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw invalid("model", "Missing required field `model`");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw invalid("model", "`model` must be a non-empty string");
        }
        return model.asText();
    }

    private static void checkMessages(ObjectNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            JsonNode prompt = body.get("prompt");
            if (prompt != null && prompt.isTextual()) {
                body.remove("prompt");
                ObjectNode message = JsonNodeFactory.instance.objectNode().put("role", "user").put("content", prompt.asText());
                body.putArray("messages").add(message);
                return;
            }
            throw invalid("messages", "Missing required field `messages` (or `prompt`)");
        }
        if (!messages.isArray()) {
            throw invalid("messages", "`messages` must be an array");
        }
        if (messages.isEmpty()) {
            throw invalid("messages", "`messages` must contain at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
            checkMessage(messages.get(i), i);
        }
    }

    private static void checkMessage(JsonNode message, int index) {
        String where = "messages[" + index + "]";
        if (!message.isObject()) {
            throw invalid(where, "`" + where + "` must be an object");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual()) {
            throw invalid(where + ".role", "`" + where + ".role` must be a string");
        }
        if (!ROLES.contains(role.asText())) {
            throw invalid(where + ".role", "`" + where + ".role` must be one of system, developer, user, assistant, tool");
        }
        JsonNode content = message.get("content");
        if (content != null && !(content.isTextual() || content.isArray() || content.isNull())) {
            throw invalid(where + ".content", "`" + where + ".content` must be a string, an array of content parts, or null");
        }
    }

    private static void checkScalarTypes(ObjectNode body) {
        NUMBER_FIELDS.forEach(f -> expect(body, f, JsonNode::isNumber, "a number"));
        INTEGER_FIELDS.forEach(f -> expect(body, f, JsonNode::isIntegralNumber, "an integer"));
        BOOLEAN_FIELDS.forEach(f -> expect(body, f, JsonNode::isBoolean, "a boolean"));
        OBJECT_FIELDS.forEach(f -> expect(body, f, JsonNode::isObject, "an object"));
        ARRAY_FIELDS.forEach(f -> expect(body, f, JsonNode::isArray, "an array"));
        expect(body, "user", JsonNode::isTextual, "a string");
        expect(body, "stop", n -> n.isTextual() || n.isArray(), "a string or an array of strings");
        expect(body, "tool_choice", n -> n.isTextual() || n.isObject(), "a string or an object");
        checkRange(body, "temperature", 0, 2);
        checkRange(body, "top_p", 0, 1);
    }

    private static OptionalLong maxTokens(ObjectNode body) {
        OptionalLong completion = positiveInt(body, "max_completion_tokens");
        OptionalLong legacy = positiveInt(body, "max_tokens");
        return completion.isPresent() ? completion : legacy;
    }

    private static OptionalLong positiveInt(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return OptionalLong.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
            throw invalid(field, "`" + field + "` must be an integer of at least 1");
        }
        return OptionalLong.of(node.asLong());
    }

    private static ProviderPreferences providerPreferences(JsonNode provider) {
        if (provider == null || provider.isNull()) {
            return ProviderPreferences.NONE;
        }
        return new ProviderPreferences(slugs(provider, "only"), slugs(provider, "ignore"), slugs(provider, "order"));
    }

    private static List<String> slugs(JsonNode provider, String field) {
        JsonNode list = provider.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        String param = "provider." + field;
        if (!list.isArray()) {
            throw invalid(param, "`" + param + "` must be an array of provider slugs");
        }
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode slug : list) {
            if (!slug.isTextual()) {
                throw invalid(param, "`" + param + "` must be an array of provider slugs");
            }
            out.add(slug.asText().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    /** The end user, at most {@value Attribution#MAX_USER} characters as OpenRouter's schema allows. */
    private static String user(ObjectNode body) {
        JsonNode node = body.get("user");
        if (node == null || !node.isTextual()) {
            return null;
        }
        String user = node.textValue();
        if (user.codePointCount(0, user.length()) > Attribution.MAX_USER) {
            throw invalid("user", "`user` must be at most " + Attribution.MAX_USER + " characters");
        }
        return user;
    }

    private static void expect(ObjectNode body, String field, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode node = body.get(field);
        if (node != null && !node.isNull() && !ok.test(node)) {
            throw invalid(field, "`" + field + "` must be " + what);
        }
    }

    private static void checkRange(ObjectNode body, String field, double min, double max) {
        JsonNode node = body.get(field);
        if (node != null && node.isNumber() && (node.asDouble() < min || node.asDouble() > max)) {
            throw invalid(field, "`" + field + "` must be between " + trim(min) + " and " + trim(max));
        }
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(dev.switchboard.core.error.ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
