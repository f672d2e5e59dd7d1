package dev.switchboard.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A position in a configuration tree that reads typed values and records, rather than throws, what is
 * wrong with them (file and dotted path included), so that the loader can report every problem at once.
 *
 * <p>Types are strict, because YAML guesses them: unquoted {@code NO} is a boolean and {@code 0123} the
 * number 83, so a string setting must be a YAML string, a boolean a YAML boolean (or the text
 * {@code true}/{@code false}, which is what {@code ${VAR}} and environment overrides produce), and a
 * section a mapping. An integer may also be written as digits in a string, since that is what
 * {@code ${VAR}} and environment overrides produce. A null value counts as absent.
 */
final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final String NOT_A_STRING = "must be a string";
    private static final String QUOTE_IT =
            " (quote it: YAML reads unquoted numbers, true/false, yes/no and on/off" + " as other types)";
    private final JsonNode node;
    private final String source;
    private final String path;
    private final Problems problems;

    ConfigNode(@Nullable JsonNode node, String source, String path, Problems problems) {
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

    /** The mapping at {@code key}; empty when absent, and when it is not a mapping, which is recorded. */
    Optional<ConfigNode> mapping(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        if (!node.get(key).isObject()) {
            problem(key, "must be a mapping");
            return Optional.empty();
        }
        return Optional.of(new ConfigNode(node.get(key), source, join(key), problems));
    }

    /** A section of settings: the mapping at {@code key}, or an empty one (all defaults) when absent or wrong. */
    ConfigNode section(String key) {
        return mapping(key).orElseGet(() -> new ConfigNode(null, source, join(key), problems));
    }

    void problem(String key, String reason) {
        problems.add(source, key.isEmpty() ? path : join(key), reason);
    }

    /** The keys of this mapping, in file order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Complains about keys this section does not define (likely typos). */
    void onlyKeys(Set<String> allowed) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                problem(
                        k,
                        "unknown key (expected one of "
                                + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        });
    }

    boolean isList(String key) {
        return has(key) && node.get(key).isArray();
    }

    boolean isEmptyList(String key) {
        JsonNode value = node.get(key);
        return value != null && value.isArray() && value.isEmpty();
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
        if (!value.isTextual()) {
            problem(key, notAString(value));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    /**
     * A scalar written as text or as a number, as text: for values such as a version that YAML reads as a
     * number when unquoted ({@code 2}, {@code 1.1}).
     */
    Optional<String> scalarText(String key) {
        JsonNode value = node.get(key);
        if (value != null && value.isNumber()) {
            return Optional.of(value.asText());
        }
        return string(key);
    }

    String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    Optional<String> requiredString(String key) {
        if (!has(key)) {
            problem(key, "is required");
            return Optional.empty();
        }
        Optional<String> value = string(key);
        if (value.isPresent() && value.get().isBlank()) {
            problem(key, "must not be empty");
            return Optional.empty();
        }
        return value;
    }

    long longValue(String key, long fallback, long min, long max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        BigInteger parsed;
        if (value.isIntegralNumber()) {
            parsed = value.bigIntegerValue();
        } else if (value.isTextual() && value.asText().strip().matches("-?\\d+")) {
            parsed = new BigInteger(value.asText().strip());
        } else {
            problem(key, "must be an integer");
            return fallback;
        }
        if (parsed.compareTo(BigInteger.valueOf(min)) < 0 || parsed.compareTo(BigInteger.valueOf(max)) > 0) {
            problem(key, "must be between " + min + " and " + max);
            return fallback;
        }
        return parsed.longValueExact();
    }

    /**
     * A point in time as Unix seconds: a non-negative integer, a date ({@code 2025-06-30}, midnight UTC)
     * or an ISO-8601 instant ({@code 2025-06-30T12:00:00Z}).
     */
    long epochSeconds(String key, long fallback) {
        JsonNode value = node.get(key);
        if (value == null
                || value.isNull()
                || value.isIntegralNumber()
                || value.asText().strip().matches("\\d+")) {
            return longValue(key, fallback, 0, Long.MAX_VALUE);
        }
        String text = value.asText().strip();
        try {
            return text.contains("T")
                    ? java.time.Instant.parse(text).getEpochSecond()
                    : java.time.LocalDate.parse(text)
                            .atStartOfDay(java.time.ZoneOffset.UTC)
                            .toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            problem(key, "must be Unix seconds, a date such as 2025-06-30, or an instant such as 2025-06-30T12:00:00Z");
            return fallback;
        }
    }

    /** {@code true}/{@code false} as YAML booleans, or as that text in any case. */
    boolean bool(String key, boolean fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.isTextual() ? value.asText().strip() : "";
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        problem(key, "must be true or false");
        return fallback;
    }

    Duration duration(String key, Duration fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        Duration parsed = value.isTextual() ? parseDuration(value.asText().strip()) : null;
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
            BigDecimal parsed = value.isNumber()
                    ? value.decimalValue()
                    : new BigDecimal(value.asText().strip());
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
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isTextual()) {
                out.add(list.get(i).asText());
            } else {
                problems.add(source, join(key) + "[" + i + "]", notAString(list.get(i)));
            }
        }
        return out;
    }

    private static String notAString(JsonNode value) {
        return value.isValueNode() ? NOT_A_STRING + QUOTE_IT : NOT_A_STRING;
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static @Nullable Duration parseDuration(String text) {
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
