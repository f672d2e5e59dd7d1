package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ReasoningSettings;
import dev.switchboard.model.chat.ResponseFormat;
import dev.switchboard.model.chat.Sampling;
import dev.switchboard.model.chat.Tool;
import dev.switchboard.model.chat.ToolChoice;
import dev.switchboard.model.chat.WireBody;
import dev.switchboard.model.chat.WireFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a chat-completions body (OpenAI's format, with OpenRouter's additions) and reads it into the
 * canonical {@link ChatRequest}, keeping the body itself as the request's {@code source} for a provider
 * of the same format.
 *
 * <p>Only the fields whose type the gateway relies on, or that providers would reject with a less
 * helpful message, are checked; every rejection is a 400 naming the field in {@code metadata.param}.
 * A bare {@code prompt} string is accepted in place of {@code messages} (OpenRouter allows it) and turned
 * into one user message, in the body too. Every top-level field the model has no place for rides in the
 * request's extensions. Stateless.
 */
public final class OpenAiChatRequests {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final List<String> NUMBER_FIELDS = List.of(
            "temperature",
            "top_p",
            "top_k",
            "frequency_penalty",
            "presence_penalty",
            "repetition_penalty",
            "min_p",
            "top_a");
    private static final List<String> INTEGER_FIELDS = List.of("seed", "n", "top_logprobs");
    private static final List<String> BOOLEAN_FIELDS = List.of("stream", "logprobs", "parallel_tool_calls");
    private static final List<String> OBJECT_FIELDS = List.of(
            "response_format",
            "stream_options",
            "logit_bias",
            "provider",
            "reasoning",
            "metadata",
            "prediction",
            "usage",
            "debug",
            "trace");
    private static final List<String> ARRAY_FIELDS = List.of("tools", "models", "plugins", "transforms");
    /** Top-level fields read into the model; all others are extensions. */
    private static final Set<String> MODELLED = Set.of(
            "model",
            "models",
            "messages",
            "tools",
            "tool_choice",
            "parallel_tool_calls",
            "response_format",
            "temperature",
            "top_p",
            "top_k",
            "frequency_penalty",
            "presence_penalty",
            "repetition_penalty",
            "min_p",
            "top_a",
            "seed",
            "stop",
            "n",
            "logprobs",
            "top_logprobs",
            "logit_bias",
            "reasoning",
            "reasoning_effort",
            "max_tokens",
            "max_completion_tokens",
            "stream",
            "provider",
            "route",
            "session_id",
            "user");

    private OpenAiChatRequests() {}

    /** Reads a body already known to be valid JSON; the body is kept (and, for a bare {@code prompt}, completed). */
    public static ChatRequest read(JsonNode root, Attribution headerAttribution) {
        if (root == null || !root.isObject()) {
            throw GatewayException.invalidRequest("Request body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) root;
        checkModel(body);
        checkMessages(body);
        checkScalarTypes(body);
        ModelList models = ModelList.of(body);
        return ChatRequest.builder(models.primary())
                .fallbackModels(models.fallbacks())
                .messages(OpenAiMessages.read(body.get("messages")))
                .tools(tools(body.get("tools")))
                .toolChoice(toolChoice(body.get("tool_choice")))
                .parallelToolCalls(bool(body, "parallel_tool_calls"))
                .responseFormat(responseFormat(body.get("response_format")))
                .sampling(sampling(body))
                .reasoning(reasoning(body))
                .maxTokens(maxTokens(body))
                .stream(body.path("stream").asBoolean(false))
                .provider(OpenAiProviderPreferences.read(body.get("provider")))
                .attribution(headerAttribution
                        .withUser(Optional.ofNullable(user(body)))
                        .withSession(OpenAiJson.text(body, "session_id").or(headerAttribution::session)))
                .extensions(OpenAiJson.extensions(body, MODELLED))
                .source(Optional.of(new WireBody(WireFormat.OPENAI_CHAT, body)))
                .contextCompression(contextCompression(body))
                .autoRouter(OpenAiAutoRouterPlugin.read(body.get("plugins")))
                .build();
    }

    /**
     * The {@code context-compression} plugin's {@code enabled} (true when it is listed without it), else
     * the legacy {@code transforms}: {@code ["middle-out"]} on, {@code []} off; empty when neither says.
     */
    private static Optional<Boolean> contextCompression(ObjectNode body) {
        JsonNode plugins = body.get("plugins");
        if (plugins != null && plugins.isArray()) {
            for (JsonNode plugin : plugins) {
                if (plugin.isObject()
                        && "context-compression".equals(plugin.path("id").asText())) {
                    JsonNode enabled = plugin.get("enabled");
                    return Optional.of(enabled == null || !enabled.isBoolean() || enabled.booleanValue());
                }
            }
        }
        JsonNode transforms = body.get("transforms");
        if (transforms != null && transforms.isArray()) {
            for (JsonNode transform : transforms) {
                if ("middle-out".equals(transform.asText())) {
                    return Optional.of(true);
                }
            }
            return transforms.isEmpty() ? Optional.of(false) : Optional.empty();
        }
        return Optional.empty();
    }

    /** {@code model} is required unless {@code models} names at least one model. */
    private static void checkModel(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            JsonNode models = body.get("models");
            if (models == null || !models.isArray() || models.isEmpty()) {
                throw invalid("model", "Missing required field `model` (or a non-empty `models` array)");
            }
            return;
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw invalid("model", "`model` must be a non-empty string");
        }
    }

    /**
     * The models to try, in order: {@code model} when given, then {@code models} without repeats. With
     * no {@code model}, the first of {@code models} is the primary.
     */
    private record ModelList(String primary, List<String> fallbacks) {
        /** A plan per model costs a catalog lookup and a filter pass; no sensible list is longer. */
        static final int MAX_MODELS = 16;

        static ModelList of(ObjectNode body) {
            java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
            JsonNode model = body.get("model");
            if (model != null && model.isTextual()) {
                ids.add(model.textValue());
            }
            for (String id : strings(body.get("models"))) {
                if (id.isBlank()) {
                    throw invalid("models", "`models` must not hold an empty model id");
                }
                ids.add(id);
            }
            if (ids.size() > MAX_MODELS) {
                throw invalid("models", "At most " + MAX_MODELS + " models may be listed in `model` and `models`");
            }
            List<String> all = List.copyOf(ids);
            return new ModelList(all.getFirst(), all.subList(1, all.size()));
        }
    }

    private static void checkMessages(ObjectNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            JsonNode prompt = body.get("prompt");
            if (prompt != null && prompt.isTextual()) {
                body.remove("prompt");
                ObjectNode message = JsonNodeFactory.instance
                        .objectNode()
                        .put("role", "user")
                        .put("content", prompt.asText());
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
            throw invalid(
                    where + ".role", "`" + where + ".role` must be one of system, developer, user, assistant, tool");
        }
        JsonNode content = message.get("content");
        if (content != null && !(content.isTextual() || content.isArray() || content.isNull())) {
            throw invalid(
                    where + ".content", "`" + where + ".content` must be a string, an array of content parts, or null");
        }
        if (content != null && content.isArray()) {
            for (int p = 0; p < content.size(); p++) {
                if (!content.get(p).isObject()) {
                    throw invalid(
                            where + ".content[" + p + "]", "`" + where + ".content[" + p + "]` must be an object");
                }
            }
        }
        JsonNode calls = message.get("tool_calls");
        if (calls != null && !calls.isNull() && !calls.isArray()) {
            throw invalid(where + ".tool_calls", "`" + where + ".tool_calls` must be an array");
        }
    }

    private static void checkScalarTypes(ObjectNode body) {
        NUMBER_FIELDS.forEach(f -> expect(body, f, JsonNode::isNumber, "a number"));
        INTEGER_FIELDS.forEach(f -> expect(body, f, JsonNode::isIntegralNumber, "an integer"));
        BOOLEAN_FIELDS.forEach(f -> expect(body, f, JsonNode::isBoolean, "a boolean"));
        OBJECT_FIELDS.forEach(f -> expect(body, f, JsonNode::isObject, "an object"));
        ARRAY_FIELDS.forEach(f -> expect(body, f, JsonNode::isArray, "an array"));
        expect(body, "user", JsonNode::isTextual, "a string");
        expect(body, "session_id", JsonNode::isTextual, "a string");
        // legacy: model fallback is what a models list always does
        expect(body, "route", n -> n.isTextual() && n.textValue().equals("fallback"), "\"fallback\"");
        expect(body, "stop", n -> n.isTextual() || n.isArray(), "a string or an array of strings");
        expect(body, "tool_choice", n -> n.isTextual() || n.isObject(), "a string or an object");
        expect(body, "reasoning_effort", JsonNode::isTextual, "a string");
        checkRange(body, "temperature", 0, 2);
        checkRange(body, "top_p", 0, 1);
        strings(body, "models");
        strings(body, "stop");
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

    private static List<Tool> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        List<Tool> out = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!tool.isObject()) {
                throw invalid("tools[" + i + "]", "`tools[" + i + "]` must be an object");
            }
            String type = tool.path("type").asText("function");
            JsonNode function = tool.get("function");
            if (!type.equals("function") || function == null || !function.isObject()) {
                out.add(new Tool.Other(type, OpenAiJson.raw(tool)));
                continue;
            }
            JsonNode name = function.get("name");
            if (name == null || !name.isTextual()) {
                throw invalid("tools[" + i + "].function.name", "`tools[" + i + "].function.name` must be a string");
            }
            JsonNode parameters = function.get("parameters");
            out.add(new Tool.Function(
                    name.textValue(),
                    OpenAiJson.text(function, "description"),
                    parameters == null || parameters.isNull()
                            ? Optional.empty()
                            : Optional.of(OpenAiJson.raw(parameters)),
                    bool(function, "strict"),
                    OpenAiJson.cacheControl(tool),
                    OpenAiJson.extensions(function, Set.of("name", "description", "parameters", "strict"))));
        }
        return out;
    }

    private static Optional<ToolChoice> toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return Optional.empty();
        }
        if (choice.isTextual()) {
            return switch (choice.textValue()) {
                case "none" -> Optional.of(ToolChoice.NONE);
                case "required", "any" -> Optional.of(ToolChoice.REQUIRED);
                case "auto" -> Optional.of(ToolChoice.AUTO);
                default ->
                    throw invalid("tool_choice", "`tool_choice` must be none, auto, required or a named function");
            };
        }
        JsonNode name = choice.path("function").path("name");
        if (!name.isTextual()) {
            throw invalid("tool_choice", "`tool_choice` must be none, auto, required or a named function");
        }
        return Optional.of(new ToolChoice.Named(name.textValue()));
    }

    private static Optional<ResponseFormat> responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return Optional.empty();
        }
        return switch (format.path("type").asText("")) {
            case "text" -> Optional.of(new ResponseFormat.Text());
            case "json_object" -> Optional.of(new ResponseFormat.JsonObject());
            case "json_schema" -> {
                JsonNode schema = format.path("json_schema");
                JsonNode definition = schema.get("schema");
                yield Optional.of(new ResponseFormat.JsonSchema(
                        schema.path("name").asText("response"),
                        OpenAiJson.text(schema, "description"),
                        definition == null || definition.isNull()
                                ? Optional.empty()
                                : Optional.of(OpenAiJson.raw(definition)),
                        bool(schema, "strict")));
            }
            default ->
                throw invalid(
                        "response_format.type", "`response_format.type` must be text, json_object or json_schema");
        };
    }

    private static Sampling sampling(ObjectNode body) {
        JsonNode logitBias = body.get("logit_bias");
        return new Sampling(
                decimal(body, "temperature"),
                decimal(body, "top_p"),
                decimal(body, "top_k"),
                decimal(body, "frequency_penalty"),
                decimal(body, "presence_penalty"),
                decimal(body, "repetition_penalty"),
                decimal(body, "min_p"),
                decimal(body, "top_a"),
                decimal(body, "seed"),
                strings(body.get("stop")),
                integer(body, "n"),
                bool(body, "logprobs"),
                integer(body, "top_logprobs"),
                logitBias == null || logitBias.isNull() ? Optional.empty() : Optional.of(OpenAiJson.raw(logitBias)));
    }

    private static Optional<ReasoningSettings> reasoning(ObjectNode body) {
        JsonNode reasoning = body.get("reasoning");
        Optional<String> effortShorthand = OpenAiJson.text(body, "reasoning_effort");
        if ((reasoning == null || reasoning.isNull()) && effortShorthand.isEmpty()) {
            return Optional.empty();
        }
        JsonNode settings = reasoning == null ? JsonNodeFactory.instance.objectNode() : reasoning;
        JsonNode max = settings.get("max_tokens");
        OptionalLong maxTokens =
                max != null && max.canConvertToLong() ? OptionalLong.of(max.asLong()) : OptionalLong.empty();
        return Optional.of(new ReasoningSettings(
                OpenAiJson.text(settings, "effort").or(() -> effortShorthand),
                maxTokens,
                bool(settings, "enabled"),
                settings.path("exclude").asBoolean(false),
                OpenAiJson.extensions(settings, Set.of("effort", "max_tokens", "enabled", "exclude"))));
    }

    /** The end user, at most {@value Attribution#MAX_USER} characters as OpenRouter's schema allows. */
    private static @Nullable String user(ObjectNode body) {
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

    private static Optional<BigDecimal> decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? Optional.of(value.decimalValue()) : Optional.empty();
    }

    private static OptionalInt integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToInt() && value.isIntegralNumber()
                ? OptionalInt.of(value.asInt())
                : OptionalInt.empty();
    }

    private static Optional<Boolean> bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isBoolean() ? Optional.of(value.booleanValue()) : Optional.empty();
    }

    /** A string or an array of strings as a list (the array's non-strings refused where checked). */
    private static List<String> strings(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        List<String> out = new ArrayList<>(node.size());
        node.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static void strings(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw invalid(field, "`" + field + "` must be a string or an array of strings");
                }
            }
        }
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
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
