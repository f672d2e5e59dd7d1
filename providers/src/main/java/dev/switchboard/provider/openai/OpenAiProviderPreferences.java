package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.MaxPrice;
import dev.switchboard.model.chat.PercentileThresholds;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.RouteSort;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads OpenRouter's {@code provider} object into {@link ProviderPreferences}, refusing wrong types
 * and values with 400 and the offending field in {@code metadata.param}. Unknown fields are kept as
 * extensions.
 */
final class OpenAiProviderPreferences {
    /** More slugs than any catalog has providers is a mistake, and each costs a lookup per endpoint. */
    static final int MAX_SLUGS = 64;
    /** A hedge later than any sensible first-byte timeout would never fire; five minutes bounds it generously. */
    static final long MAX_HEDGE_AFTER_MS = 300_000;

    private static final Set<String> MODELLED = Set.of(
            "only",
            "ignore",
            "order",
            "allow_fallbacks",
            "require_parameters",
            "data_collection",
            "zdr",
            "quantizations",
            "sort",
            "preferred_min_throughput",
            "preferred_max_latency",
            "max_price",
            "hedge");
    private static final Set<String> PERCENTILES = Set.of("p50", "p75", "p90", "p99");
    private static final Set<String> PRICES = Set.of("prompt", "completion", "request", "image", "audio");

    private OpenAiProviderPreferences() {}

    static ProviderPreferences read(@Nullable JsonNode provider) {
        if (provider == null || provider.isNull()) {
            return ProviderPreferences.NONE;
        }
        return ProviderPreferences.builder()
                .only(slugs(provider, "only"))
                .ignore(slugs(provider, "ignore"))
                .order(slugs(provider, "order"))
                .allowFallbacks(bool(provider, "allow_fallbacks", true))
                .requireParameters(bool(provider, "require_parameters", false))
                .dataCollection(dataCollection(provider.get("data_collection")))
                .zdr(bool(provider, "zdr", false))
                .quantizations(slugs(provider, "quantizations"))
                .sort(sort(provider.get("sort")))
                .preferredMinThroughput(
                        thresholds(provider.get("preferred_min_throughput"), "preferred_min_throughput"))
                .preferredMaxLatency(thresholds(provider.get("preferred_max_latency"), "preferred_max_latency"))
                .maxPrice(maxPrice(provider.get("max_price")))
                .hedgeAfter(hedge(provider.get("hedge")))
                .extensions(OpenAiJson.extensions(provider, MODELLED))
                .build();
    }

    private static List<String> slugs(JsonNode provider, String field) {
        JsonNode list = provider.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        String param = "provider." + field;
        if (!list.isArray()) {
            throw invalid(param, "`" + param + "` must be an array of strings");
        }
        if (list.size() > MAX_SLUGS) {
            throw invalid(
                    param, "`" + param + "` has " + list.size() + " entries; at most " + MAX_SLUGS + " are allowed");
        }
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode slug : list) {
            if (!slug.isTextual()) {
                throw invalid(param, "`" + param + "` must be an array of strings");
            }
            out.add(slug.asText().strip().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static boolean bool(JsonNode provider, String field, boolean fallback) {
        JsonNode value = provider.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid("provider." + field, "`provider." + field + "` must be a boolean");
        }
        return value.booleanValue();
    }

    private static ProviderPreferences.DataCollection dataCollection(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return ProviderPreferences.DataCollection.ALLOW;
        }
        return switch (value.isTextual() ? value.textValue() : "") {
            case "allow" -> ProviderPreferences.DataCollection.ALLOW;
            case "deny" -> ProviderPreferences.DataCollection.DENY;
            default ->
                throw invalid("provider.data_collection", "`provider.data_collection` must be \"allow\" or \"deny\"");
        };
    }

    private static Optional<RouteSort> sort(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(new RouteSort(sortBy(value.textValue(), "provider.sort"), RouteSort.Partition.MODEL));
        }
        if (!value.isObject()) {
            throw invalid("provider.sort", "`provider.sort` must be a string or an object with `by` and `partition`");
        }
        JsonNode by = value.get("by");
        if (by == null || !by.isTextual()) {
            throw invalid(
                    "provider.sort.by",
                    "`provider.sort.by` must be \"price\", \"throughput\", \"latency\" or \"exacto\"");
        }
        JsonNode partition = value.get("partition");
        RouteSort.Partition part = RouteSort.Partition.MODEL;
        if (partition != null && !partition.isNull()) {
            part = switch (partition.isTextual() ? partition.textValue() : "") {
                case "model" -> RouteSort.Partition.MODEL;
                case "none" -> RouteSort.Partition.NONE;
                default ->
                    throw invalid("provider.sort.partition", "`provider.sort.partition` must be \"model\" or \"none\"");
            };
        }
        return Optional.of(new RouteSort(sortBy(by.textValue(), "provider.sort.by"), part));
    }

    private static RouteSort.By sortBy(String value, String param) {
        return switch (value) {
            case "price" -> RouteSort.By.PRICE;
            case "throughput" -> RouteSort.By.THROUGHPUT;
            case "latency" -> RouteSort.By.LATENCY;
            case "exacto" -> RouteSort.By.EXACTO;
            default ->
                throw invalid(param, "`" + param + "` must be \"price\", \"throughput\", \"latency\" or \"exacto\"");
        };
    }

    private static Optional<PercentileThresholds> thresholds(@Nullable JsonNode value, String field) {
        String param = "provider." + field;
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            return Optional.of(PercentileThresholds.p50(nonNegative(value, param)));
        }
        if (!value.isObject()) {
            throw invalid(param, "`" + param + "` must be a number or an object of percentiles (p50, p75, p90, p99)");
        }
        value.fieldNames().forEachRemaining(name -> {
            if (!PERCENTILES.contains(name)) {
                throw invalid(param + "." + name, "`" + param + "` takes only p50, p75, p90 and p99");
            }
        });
        return Optional.of(new PercentileThresholds(
                percentile(value, param, "p50"),
                percentile(value, param, "p75"),
                percentile(value, param, "p90"),
                percentile(value, param, "p99")));
    }

    private static OptionalDouble percentile(JsonNode object, String param, String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber()) {
            throw invalid(param + "." + name, "`" + param + "." + name + "` must be a number");
        }
        return OptionalDouble.of(nonNegative(value, param + "." + name));
    }

    private static double nonNegative(JsonNode value, String param) {
        double number = value.doubleValue();
        if (!(number >= 0) || Double.isInfinite(number)) {
            throw invalid(param, "`" + param + "` must be a non-negative number");
        }
        return number;
    }

    /** {@code provider.hedge}: {@code {"after_ms": N}}, N a whole number of milliseconds. */
    private static Optional<Duration> hedge(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw invalid("provider.hedge", "`provider.hedge` must be an object with `after_ms`");
        }
        value.fieldNames().forEachRemaining(name -> {
            if (!name.equals("after_ms")) {
                throw invalid("provider.hedge." + name, "`provider.hedge` takes only `after_ms`");
            }
        });
        JsonNode after = value.get("after_ms");
        if (after == null
                || !after.isNumber()
                || !after.canConvertToExactIntegral()
                || !after.canConvertToLong()
                || after.asLong(-1) < 0
                || after.asLong(-1) > MAX_HEDGE_AFTER_MS) {
            throw invalid(
                    "provider.hedge.after_ms",
                    "`provider.hedge.after_ms` must be a whole number of milliseconds from 0 to " + MAX_HEDGE_AFTER_MS);
        }
        return Optional.of(Duration.ofMillis(after.asLong()));
    }

    private static Optional<MaxPrice> maxPrice(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw invalid("provider.max_price", "`provider.max_price` must be an object");
        }
        value.fieldNames().forEachRemaining(name -> {
            if (!PRICES.contains(name)) {
                throw invalid(
                        "provider.max_price." + name,
                        "`provider.max_price` takes prompt, completion, request, image and audio");
            }
        });
        return Optional.of(new MaxPrice(
                price(value, "prompt"),
                price(value, "completion"),
                price(value, "request"),
                price(value, "image"),
                price(value, "audio")));
    }

    /** A price as a number or a decimal string, exact: {@code 0.1} stays one tenth. */
    private static Optional<BigDecimal> price(JsonNode maxPrice, String name) {
        String param = "provider.max_price." + name;
        JsonNode value = maxPrice.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        BigDecimal price;
        try {
            if (value.isNumber()) {
                price = new BigDecimal(value.asText());
            } else if (value.isTextual() && value.textValue().length() <= 40) {
                price = new BigDecimal(value.textValue().strip());
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw invalid(param, "`" + param + "` must be a number or a decimal string");
        }
        if (price.signum() < 0) {
            throw invalid(param, "`" + param + "` must not be negative");
        }
        return Optional.of(price);
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
