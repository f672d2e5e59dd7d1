package dev.switchboard.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${VAR}} and {@code ${VAR:-default}} in configuration strings from the environment.
 * A variable that is unset (and has no default) resolves to the empty string and is reported in
 * {@link Resolved#missing()}, so that a provider whose {@code api_key: ${OPENAI_API_KEY}} is unset
 * shows as unavailable with that reason rather than failing start-up, and a problem with any other
 * value built from an unset variable names the variable.
 */
final class EnvReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private final Map<String, String> env;

    EnvReferences(Map<String, String> env) {
        this.env = env;
    }

    record Resolved(String value, List<String> missing) {}

    /**
     * Resolves every string of {@code tree} in place (keys are left alone), recording unset variables by
     * path in {@code provenance}.
     */
    void resolveAll(JsonNode tree, String source, String path, Provenance provenance) {
        if (tree instanceof ObjectNode object) {
            object.properties()
                    .forEach(entry -> entry.setValue(
                            resolveValue(entry.getValue(), source, join(path, entry.getKey()), provenance)));
        } else if (tree instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, resolveValue(array.get(i), source, path + "[" + i + "]", provenance));
            }
        }
    }

    private JsonNode resolveValue(JsonNode value, String source, String path, Provenance provenance) {
        if (!value.isTextual()) {
            resolveAll(value, source, path, provenance);
            return value;
        }
        Resolved resolved = resolve(value.asText());
        if (!resolved.missing().isEmpty()) {
            provenance.unsetReferences(source, path, resolved.missing());
        }
        return TextNode.valueOf(resolved.value());
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    Resolved resolve(String text) {
        Matcher matcher = REFERENCE.matcher(text);
        if (!matcher.find()) {
            return new Resolved(text, List.of());
        }
        StringBuilder out = new StringBuilder();
        List<String> missing = new ArrayList<>();
        do {
            String value = env.get(matcher.group(1));
            if (value == null || value.isEmpty()) {
                value = matcher.group(2);
                if (value == null) {
                    missing.add(matcher.group(1));
                    value = "";
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        } while (matcher.find());
        matcher.appendTail(out);
        return new Resolved(out.toString(), missing);
    }
}
