package dev.switchboard.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a configuration tree that reads typed values and records, rather than throws, what is
 * wrong with them (file and dotted path included), so that the loader can report every problem at once.
 */
final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private final JsonNode node;
    private final String source;
    private final String path;
    private final Problems problems;

    ConfigNode(JsonNode node, String source, String path, Problems problems) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.source = source;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    String source() {
        return source;
    }

    boolean has(String key) {
        JsonNode child = node.get(key);
        return child != null && !child.isNull();
    }

    ConfigNode child(String key) {
        return new ConfigNode(node.get(key), source, join(key), problems);
    }

    void problem(String key, String reason) {
        problems.add(source, key.isEmpty() ? path : join(key), reason);
    }

    /** Complains about keys this section does not define (likely typos). */
    void onlyKeys(Set<String> allowed) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                problem(k, "unknown key (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        });
    }

    List<ConfigNode> items(String key) {
        JsonNode list = node.get(key);
        List<ConfigNode> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            problem(key, "must be a list");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject()) {
                problems.add(source, join(key) + "[" + i + "]", "must be a mapping");
            } else {
                out.add(new ConfigNode(list.get(i), source, join(key) + "[" + i + "]", problems));
            }
        }
        return out;
    }

    Optional<String> string(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            problem(key, "must be a string");
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    Optional<String> requiredString(String key) {
        Optional<String> value = string(key).filter(s -> !s.isBlank());
        if (value.isEmpty() && !has(key)) {
            problem(key, "is required");
        } else if (value.isEmpty()) {
            problem(key, "must not be empty");
        }
        return value;
    }

    long longValue(String key, long fallback, long min, long max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        long parsed;
        if (value.isIntegralNumber()) {
            parsed = value.asLong();
        } else if (value.isTextual() && value.asText().strip().matches("-?\\d+")) {
            parsed = Long.parseLong(value.asText().strip());
        } else {
            problem(key, "must be an integer");
            return fallback;
        }
        if (parsed < min || parsed > max) {
            problem(key, "must be between " + min + " and " + max);
            return fallback;
        }
        return parsed;
    }

    Duration duration(String key, Duration fallback) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        Duration parsed = parseDuration(text.get().strip());
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            problem(key, "must be a positive duration such as 500ms, 30s, 5m or PT30S");
            return fallback;
        }
        return parsed;
    }

    Optional<BigDecimal> decimal(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        try {
            BigDecimal parsed = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().strip());
            if (parsed.signum() < 0) {
                problem(key, "must not be negative");
                return Optional.empty();
            }
            return Optional.of(parsed);
        } catch (NumberFormatException e) {
            problem(key, "must be a decimal number such as \"0.0000025\"");
            return Optional.empty();
        }
    }

    List<String> stringList(String key) {
        JsonNode list = node.get(key);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            problem(key, "must be a list of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        list.forEach(item -> out.add(item.asText()));
        return out;
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
