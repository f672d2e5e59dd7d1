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
 * @param tag                 what tells this endpoint from the provider's others for the model
 *                            ({@code turbo}, {@code us-east5}); empty when it is the only one
 * @param dataPolicy          what the provider does with prompts sent to this endpoint
 */
public record Endpoint(
        String providerSlug,
        String upstreamModel,
        Pricing pricing,
        long contextLength,
        long maxCompletionTokens,
        String quantization,
        List<String> supportedParameters,
        String tag,
        DataPolicy dataPolicy) {
    public Endpoint {
        Objects.requireNonNull(providerSlug, "providerSlug");
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(quantization, "quantization");
        supportedParameters = List.copyOf(supportedParameters);
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(dataPolicy, "dataPolicy");
    }

    /** An untagged endpoint whose data policy is not stated. */
    public Endpoint(
            String providerSlug,
            String upstreamModel,
            Pricing pricing,
            long contextLength,
            long maxCompletionTokens,
            String quantization,
            List<String> supportedParameters) {
        this(
                providerSlug,
                upstreamModel,
                pricing,
                contextLength,
                maxCompletionTokens,
                quantization,
                supportedParameters,
                "",
                DataPolicy.UNKNOWN);
    }

    /**
     * The endpoint's full slug: {@code provider/tag}, or the provider's slug for an untagged endpoint.
     * {@code provider.only} and its siblings match a full slug to this endpoint alone and a provider's
     * slug to all of its endpoints.
     */
    public String slug() {
        return tag.isEmpty() ? providerSlug : providerSlug + "/" + tag;
    }

    public Optional<Long> maxCompletion() {
        return maxCompletionTokens > 0 ? Optional.of(maxCompletionTokens) : Optional.empty();
    }
}
