package dev.switchboard.core.generation;

import java.util.Objects;
import java.util.Optional;

/**
 * One upstream attempt of a request, as {@code GET /generation} lists it under {@code provider_responses}:
 * every attempt of a request is kept, the ones it fell back from included.
 *
 * @param model      the model asked of this provider (the catalog id)
 * @param upstreamId the provider's id for its answer, when it gave one
 * @param status     the HTTP status the provider answered with, or the gateway's status for a failure
 *                   of its own making (504 for a timeout, 502 for a broken connection)
 * @param latencyMs  from sending the request to the end of this attempt
 * @param errorType  the error it ended with, when it failed (an {@code error_type})
 * @param leftBecause why the request moved on from this attempt, in more detail than the error type: the
 *                   failure kind ({@code provider_5xx}, {@code rate_limited}, {@code first_byte_timeout},
 *                   ...), or {@code hedge_lost} for an attempt cancelled because another answered first
 * @param billed     whether this attempt's answer is the one billed
 * @param byok       whether the attempt carried the workspace's own key for the provider
 */
public record ProviderResponse(
        String providerSlug,
        String providerName,
        String model,
        Optional<String> upstreamId,
        int status,
        long latencyMs,
        Optional<String> errorType,
        Optional<String> leftBecause,
        boolean billed,
        boolean byok) {
    public ProviderResponse {
        Objects.requireNonNull(providerSlug, "providerSlug");
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(upstreamId, "upstreamId");
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(leftBecause, "leftBecause");
    }

    /** An attempt with the provider's shared key. */
    public ProviderResponse(
            String providerSlug,
            String providerName,
            String model,
            Optional<String> upstreamId,
            int status,
            long latencyMs,
            Optional<String> errorType,
            Optional<String> leftBecause,
            boolean billed) {
        this(providerSlug, providerName, model, upstreamId, status, latencyMs, errorType, leftBecause, billed, false);
    }

    /** An attempt whose reason for being left is its error type alone. */
    public ProviderResponse(
            String providerSlug,
            String providerName,
            String model,
            Optional<String> upstreamId,
            int status,
            long latencyMs,
            Optional<String> errorType,
            boolean billed) {
        this(providerSlug, providerName, model, upstreamId, status, latencyMs, errorType, Optional.empty(), billed);
    }
}
