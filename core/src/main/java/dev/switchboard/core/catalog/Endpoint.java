package dev.switchboard.core.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One way to serve a model: a provider, the model name that provider expects, and its prices and
 * limits.
 *
 * @param providerSlug        the provider's slug (what {@code provider.only} and friends name)
 * @param upstreamModel       the model name sent upstream
 * @param contextLength       tokens of context this endpoint accepts
 * @param maxCompletionTokens the endpoint's output cap, 0 when it has none
 * @param quantization        null-free: "unknown" when not stated
 * @param supportedParameters request parameters this endpoint honours
 */
public record Endpoint(
        String providerSlug,
        String upstreamModel,
        Pricing pricing,
        long contextLength,
        long maxCompletionTokens,
        String quantization,
        List<String> supportedParameters) {
    public Endpoint {
        Objects.requireNonNull(providerSlug, "providerSlug");
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(quantization, "quantization");
        supportedParameters = List.copyOf(supportedParameters);
    }

    public Optional<Long> maxCompletion() {
        return maxCompletionTokens > 0 ? Optional.of(maxCompletionTokens) : Optional.empty();
    }
}
