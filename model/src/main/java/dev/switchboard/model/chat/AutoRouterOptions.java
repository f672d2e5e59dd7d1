package dev.switchboard.model.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code auto-router} plugin's settings, which steer the {@code openrouter/auto} router (they mean
 * nothing to a request for any other model).
 *
 * <p>A pattern is a model id in which {@code *} stands for any run of characters, so {@code anthropic/*}
 * names every Anthropic model and {@code *-mini} every model whose id ends so. Matching is exact
 * otherwise (case included).
 *
 * @param allowedModels  patterns of the models the router may choose; empty means every model
 * @param excludedModels patterns of models it must not choose, whatever {@code allowedModels} says
 * @param costTier       the price band to choose in; empty means the gateway's default
 * @param pinModel       a model id to use first, which {@code allowedModels} and {@code excludedModels}
 *                       must allow
 */
public record AutoRouterOptions(
        List<String> allowedModels,
        List<String> excludedModels,
        Optional<CostTier> costTier,
        Optional<String> pinModel) {
    /** No plugin: every model, the default tier, nothing pinned. */
    public static final AutoRouterOptions DEFAULTS =
            new AutoRouterOptions(List.of(), List.of(), Optional.empty(), Optional.empty());

    public AutoRouterOptions {
        allowedModels = List.copyOf(allowedModels);
        excludedModels = List.copyOf(excludedModels);
        Objects.requireNonNull(costTier, "costTier");
        Objects.requireNonNull(pinModel, "pinModel");
    }

    /**
     * A price band over the models the router may choose for a request, by percentile of their price:
     * {@code LOW} the cheapest fifth (percentiles 0 to 20), then {@code MEDIUM}, {@code HIGH},
     * {@code XHIGH}, and {@code MAX} the dearest fifth (80 to 100).
     */
    public enum CostTier {
        LOW,
        MEDIUM,
        HIGH,
        XHIGH,
        MAX;

        /** The tier's name in a request: {@code low}, {@code medium}, ... */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The tier a request names, empty for any other word. */
        public static Optional<CostTier> parse(String wireName) {
            for (CostTier tier : values()) {
                if (tier.wireName().equals(wireName)) {
                    return Optional.of(tier);
                }
            }
            return Optional.empty();
        }
    }

    /** Whether the router may choose {@code modelId}: some allowed pattern matches it (or none is given) and no excluded one does. */
    public boolean allows(String modelId) {
        return (allowedModels.isEmpty() || anyMatches(allowedModels, modelId)) && !anyMatches(excludedModels, modelId);
    }

    private static boolean anyMatches(List<String> patterns, String modelId) {
        for (String pattern : patterns) {
            if (matches(pattern, modelId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code pattern} ({@code *} for any run of characters) matches the whole of {@code text}.
     * Greedy with a return to the last star: linear in practice, at worst the product of the lengths,
     * and without allocating.
     */
    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
