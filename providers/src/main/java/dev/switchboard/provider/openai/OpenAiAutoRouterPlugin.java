package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.AutoRouterOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code auto-router} plugin ({@code plugins: [{"id": "auto-router", ...}]}) into
 * {@link AutoRouterOptions}, refusing wrong types and values with 400 and the field in
 * {@code metadata.param} ({@code plugins[0].cost_tier}). The first plugin with that id counts; with
 * {@code "enabled": false} it is as if absent. {@code cost_quality_tradeoff}, which OpenRouter
 * deprecated, is checked (a number from 0 to 10) and otherwise ignored; other fields are ignored.
 * Stateless.
 */
final class OpenAiAutoRouterPlugin {
    static final String ID = "auto-router";
    /** More patterns than a catalog has authors is a mistake, and each is matched against every model. */
    static final int MAX_PATTERNS = 64;
    /** Longer than any model id. */
    static final int MAX_PATTERN_LENGTH = 256;

    private OpenAiAutoRouterPlugin() {}

    /** The plugin's settings in {@code plugins} (an array, or absent), else the defaults. */
    static AutoRouterOptions read(@Nullable JsonNode plugins) {
        if (plugins == null || !plugins.isArray()) {
            return AutoRouterOptions.DEFAULTS;
        }
        for (int i = 0; i < plugins.size(); i++) {
            JsonNode plugin = plugins.get(i);
            if (plugin.isObject() && ID.equals(plugin.path("id").asText())) {
                return read(plugin, "plugins[" + i + "]");
            }
        }
        return AutoRouterOptions.DEFAULTS;
    }

    private static AutoRouterOptions read(JsonNode plugin, String where) {
        JsonNode enabled = plugin.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw invalid(where + ".enabled", "must be a boolean");
        }
        if (enabled != null && enabled.isBoolean() && !enabled.booleanValue()) {
            return AutoRouterOptions.DEFAULTS;
        }
        tradeoff(plugin.get("cost_quality_tradeoff"), where + ".cost_quality_tradeoff");
        AutoRouterOptions options = new AutoRouterOptions(
                patterns(plugin.get("allowed_models"), where + ".allowed_models"),
                patterns(plugin.get("excluded_models"), where + ".excluded_models"),
                costTier(plugin.get("cost_tier"), where + ".cost_tier"),
                pinModel(plugin.get("pin_model"), where + ".pin_model"));
        if (options.pinModel().isPresent() && !options.allows(options.pinModel().get())) {
            throw invalid(where + ".pin_model", "names a model that allowed_models or excluded_models rules out");
        }
        return options;
    }

    private static List<String> patterns(@Nullable JsonNode list, String param) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw invalid(param, "must be an array of model ids (with * as a wildcard)");
        }
        if (list.size() > MAX_PATTERNS) {
            throw invalid(param, "has " + list.size() + " entries; at most " + MAX_PATTERNS + " are allowed");
        }
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode pattern : list) {
            out.add(modelId(pattern, param));
        }
        return out;
    }

    private static Optional<String> pinModel(@Nullable JsonNode value, String param) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        String id = modelId(value, param);
        if (id.indexOf('*') >= 0) {
            throw invalid(param, "must name one model, without wildcards");
        }
        return Optional.of(id);
    }

    private static String modelId(JsonNode value, String param) {
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw invalid(param, "must hold non-empty model ids");
        }
        String id = value.textValue().strip();
        if (id.length() > MAX_PATTERN_LENGTH) {
            throw invalid(param, "holds a model id longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        return id;
    }

    private static Optional<AutoRouterOptions.CostTier> costTier(@Nullable JsonNode value, String param) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        Optional<AutoRouterOptions.CostTier> tier =
                value.isTextual() ? AutoRouterOptions.CostTier.parse(value.textValue()) : Optional.empty();
        if (tier.isEmpty()) {
            throw invalid(param, "must be \"low\", \"medium\", \"high\", \"xhigh\" or \"max\"");
        }
        return tier;
    }

    private static void tradeoff(@Nullable JsonNode value, String param) {
        if (value != null
                && !value.isNull()
                && !(value.isNumber() && value.asDouble() >= 0 && value.asDouble() <= 10)) {
            throw invalid(param, "must be a number from 0 to 10");
        }
    }

    private static GatewayException invalid(String param, String problem) {
        return new GatewayException(ErrorType.INVALID_REQUEST, "`" + param + "` " + problem, Map.of("param", param));
    }
}
