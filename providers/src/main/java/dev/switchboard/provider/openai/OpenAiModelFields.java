package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.routing.names.ModelNames;
import dev.switchboard.core.routing.names.ModelQuery;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the model fields of a chat-completions body before {@link OpenAiChatRequests#read} checks and
 * reads it: URI model parameters, the gateway's model aliases and its forced model ({@link ModelNames}).
 *
 * <p>Design note. Everything happens on the body, so that what follows sees one ordinary request: the
 * parameters become body fields and are checked once, by the same rules as fields sent in the body
 * (ranges, types), and the rewritten ids are what routing, the response's {@code model} and the
 * generation record name. In order:
 * <ol>
 *   <li>URI parameters: the primary model id ({@code model}, else the first of {@code models}) may end in
 *       {@code ?name=value&...} ({@link ModelQuery}). They are request parameters and <b>win over the
 *       same fields in the body</b>, as llm-interactive-proxy resolves them: a client that can set only a
 *       model name tunes what its tool sends in the body. A limit on output replaces both its names
 *       ({@code max_tokens}, {@code max_completion_tokens}); {@code reasoning_effort} also sets a
 *       {@code reasoning} object's {@code effort}. Only {@link #PARAMETERS} are accepted; an unknown name
 *       or a value of the wrong type is a 400 naming it. A fallback in {@code models} may not carry any:
 *       the parameters apply to the whole request, whichever model answers.</li>
 *   <li>Aliases, on the id without its parameters, for {@code model} and each entry of {@code models}.</li>
 *   <li>The forced model replaces {@code model}, and {@code models} is removed: the fallbacks would route
 *       to other models, which forcing one rules out.</li>
 * </ol>
 * With no aliases, no forced model and no {@code ?} in the ids, the body is returned untouched after one
 * scan of the ids. Stateless apart from its immutable {@link ModelNames}; thread-safe.
 */
public final class OpenAiModelFields {
    /** The value types URI parameters are read as. */
    private enum Kind {
        NUMBER,
        INTEGER,
        BOOLEAN,
        TEXT
    }

    /** The parameters a model id may carry, and their types (those of the body fields of the same names). */
    private static final Map<String, Kind> PARAMETERS = Map.ofEntries(
            Map.entry("temperature", Kind.NUMBER),
            Map.entry("top_p", Kind.NUMBER),
            Map.entry("top_k", Kind.NUMBER),
            Map.entry("min_p", Kind.NUMBER),
            Map.entry("top_a", Kind.NUMBER),
            Map.entry("frequency_penalty", Kind.NUMBER),
            Map.entry("presence_penalty", Kind.NUMBER),
            Map.entry("repetition_penalty", Kind.NUMBER),
            Map.entry("seed", Kind.INTEGER),
            Map.entry("max_tokens", Kind.INTEGER),
            Map.entry("max_completion_tokens", Kind.INTEGER),
            Map.entry("top_logprobs", Kind.INTEGER),
            Map.entry("logprobs", Kind.BOOLEAN),
            Map.entry("reasoning_effort", Kind.TEXT),
            Map.entry("verbosity", Kind.TEXT));

    private static final List<String> OUTPUT_LIMIT = List.of("max_tokens", "max_completion_tokens");

    private final ModelNames names;

    public OpenAiModelFields(ModelNames names) {
        this.names = names;
    }

    /**
     * Rewrites {@code body} in place and returns it; a body that is not an object is returned as it is,
     * for the reader to refuse.
     *
     * @throws GatewayException 400 for malformed, unknown or mistyped URI parameters, or parameters on a
     *                          fallback model
     */
    public JsonNode rewrite(JsonNode body) {
        if (!(body instanceof ObjectNode object) || (names.identity() && !carriesQuery(object))) {
            return body;
        }
        Parameters parameters = rewriteIds(object);
        names.forced().ifPresent(forced -> {
            object.put("model", forced);
            object.remove("models");
        });
        parameters.list().forEach(p -> apply(object, p, parameters.field()));
        return object;
    }

    private static boolean carriesQuery(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model != null && model.isTextual() && ModelQuery.hasQuery(model.textValue())) {
            return true;
        }
        JsonNode models = body.get("models");
        if (models != null && models.isArray()) {
            for (JsonNode entry : models) {
                if (entry.isTextual() && ModelQuery.hasQuery(entry.textValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The URI parameters of the primary model id, and the field they were given in. */
    private record Parameters(String field, List<ModelQuery.Parameter> list) {}

    /** Splits the parameters off the primary id and aliases every id; returns the parameters. */
    private Parameters rewriteIds(ObjectNode body) {
        Parameters parameters = new Parameters("model", List.of());
        JsonNode model = body.get("model");
        boolean hasModel = model != null && model.isTextual();
        if (hasModel) {
            ModelQuery primary = ModelQuery.parse(model.textValue(), "model");
            parameters = new Parameters("model", primary.parameters());
            body.put("model", names.alias(primary.id(), "model"));
        }
        if (body.get("models") instanceof ArrayNode models) {
            for (int i = 0; i < models.size(); i++) {
                if (!models.get(i).isTextual()) {
                    continue;
                }
                String field = "models[" + i + "]";
                String id = models.get(i).textValue();
                if (ModelQuery.hasQuery(id) && (hasModel || i > 0)) {
                    throw invalid(
                            field,
                            "Model parameters ('?...') apply to the whole request and are accepted on the primary"
                                    + " model only (`model`, or the first of `models` without it), not on `" + field
                                    + "`");
                }
                ModelQuery query = ModelQuery.parse(id, field);
                if (!hasModel && i == 0) {
                    parameters = new Parameters(field, query.parameters());
                }
                models.set(i, TextNode.valueOf(names.alias(query.id(), field)));
            }
        }
        return parameters;
    }

    /** Puts one URI parameter into the body, over any field of the same meaning the body has. */
    private static void apply(ObjectNode body, ModelQuery.Parameter parameter, String field) {
        String name = parameter.name();
        Kind kind = Optional.ofNullable(PARAMETERS.get(name))
                .orElseThrow(() -> invalid(
                        field,
                        "Unknown model parameter `" + name + "`; accepted: "
                                + String.join(
                                        ", ",
                                        PARAMETERS.keySet().stream().sorted().toList())));
        JsonNode value = typed(kind, name, parameter.value(), field);
        if (OUTPUT_LIMIT.contains(name)) {
            OUTPUT_LIMIT.forEach(body::remove);
        }
        if (name.equals("reasoning_effort") && body.get("reasoning") instanceof ObjectNode reasoning) {
            reasoning.set("effort", value);
        }
        body.set(name, value);
    }

    private static JsonNode typed(Kind kind, String name, String text, String field) {
        try {
            return switch (kind) {
                case NUMBER -> DecimalNode.valueOf(new BigDecimal(text));
                case INTEGER -> LongNode.valueOf(Long.parseLong(text));
                case BOOLEAN -> booleanValue(text);
                case TEXT -> {
                    if (text.isBlank()) {
                        throw new IllegalArgumentException("blank");
                    }
                    yield TextNode.valueOf(text);
                }
            };
        } catch (IllegalArgumentException e) {
            throw invalid(field, "Model parameter `" + name + "` must be " + describe(kind) + ", not '" + text + "'");
        }
    }

    private static BooleanNode booleanValue(String text) {
        return switch (text) {
            case "true" -> BooleanNode.TRUE;
            case "false" -> BooleanNode.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case NUMBER -> "a number";
            case INTEGER -> "an integer";
            case BOOLEAN -> "true or false";
            case TEXT -> "a non-empty string";
        };
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
