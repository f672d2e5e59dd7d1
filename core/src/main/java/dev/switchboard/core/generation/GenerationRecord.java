package dev.switchboard.core.generation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The metadata of one request, written exactly once when it ends, whatever the outcome. Never holds
 * prompt or completion text.
 *
 * @param model          the model that served (or was asked for, when none did)
 * @param providerSlug   empty when the request failed before an upstream was chosen
 * @param latencyMs      request received to last byte sent
 * @param generationMs   first upstream byte to last byte
 * @param ttftMs         request received to first upstream event, -1 when there was none
 * @param status         the HTTP status the client got (200 for streams whose error came in-band)
 * @param errorType      the error type when the request failed, in-band or not
 * @param usageEstimated true when the provider gave no usage and tokens were counted locally
 * @param attempts       every upstream attempt, in order; the billed one last when one answered
 * @param presetId       the id of the preset the request used
 * @param workspaceId    the workspace of the key, whose credits the request spent
 * @param appCategories  the app's categories the request named ({@code X-OpenRouter-Categories}), at most
 *                       two
 * @param byok           whether the provider was called with the workspace's own key (then {@code cost} is
 *                       the BYOK fee)
 * @param upstreamInferenceCost what the provider charged the workspace's own key (its list price), for a
 *                       BYOK request; empty otherwise
 * @param cacheDiscount  what prompt caching saved against the plain prompt price: positive for tokens read
 *                       from cache, negative for tokens written to it; empty when no prompt token was billed
 *                       at a cache price
 */
public record GenerationRecord(
        String id,
        Instant createdAt,
        String keyHash,
        String model,
        String providerSlug,
        String providerName,
        String upstreamId,
        boolean streamed,
        boolean cancelled,
        @Nullable String finishReason,
        @Nullable String nativeFinishReason,
        long tokensPrompt,
        long tokensCompletion,
        long tokensCached,
        long tokensReasoning,
        BigDecimal cost,
        long latencyMs,
        long generationMs,
        long ttftMs,
        Optional<String> httpReferer,
        Optional<String> appTitle,
        Optional<String> user,
        int status,
        Optional<String> errorType,
        boolean usageEstimated,
        List<ProviderResponse> attempts,
        Optional<String> presetId,
        String workspaceId,
        List<String> appCategories,
        boolean byok,
        Optional<BigDecimal> upstreamInferenceCost,
        Optional<BigDecimal> cacheDiscount) {
    /** The workspace of records made before workspaces were recorded, when every key was in it. */
    public static final String DEFAULT_WORKSPACE = "default";

    public GenerationRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(providerSlug, "providerSlug");
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(upstreamId, "upstreamId");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(httpReferer, "httpReferer");
        Objects.requireNonNull(appTitle, "appTitle");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(errorType, "errorType");
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(presetId, "presetId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        appCategories = List.copyOf(appCategories);
        Objects.requireNonNull(upstreamInferenceCost, "upstreamInferenceCost");
        Objects.requireNonNull(cacheDiscount, "cacheDiscount");
    }

    /** What the request cost at list price when it was served with the workspace's own key; else zero. */
    public BigDecimal byokCost() {
        return byok ? upstreamInferenceCost.orElse(BigDecimal.ZERO) : BigDecimal.ZERO;
    }

    /** A record of the default workspace, without app categories, BYOK or a cache discount. */
    public GenerationRecord(
            String id,
            Instant createdAt,
            String keyHash,
            String model,
            String providerSlug,
            String providerName,
            String upstreamId,
            boolean streamed,
            boolean cancelled,
            @Nullable String finishReason,
            @Nullable String nativeFinishReason,
            long tokensPrompt,
            long tokensCompletion,
            long tokensCached,
            long tokensReasoning,
            BigDecimal cost,
            long latencyMs,
            long generationMs,
            long ttftMs,
            Optional<String> httpReferer,
            Optional<String> appTitle,
            Optional<String> user,
            int status,
            Optional<String> errorType,
            boolean usageEstimated,
            List<ProviderResponse> attempts,
            Optional<String> presetId) {
        this(
                id,
                createdAt,
                keyHash,
                model,
                providerSlug,
                providerName,
                upstreamId,
                streamed,
                cancelled,
                finishReason,
                nativeFinishReason,
                tokensPrompt,
                tokensCompletion,
                tokensCached,
                tokensReasoning,
                cost,
                latencyMs,
                generationMs,
                ttftMs,
                httpReferer,
                appTitle,
                user,
                status,
                errorType,
                usageEstimated,
                attempts,
                presetId,
                DEFAULT_WORKSPACE,
                List.of(),
                false,
                Optional.empty(),
                Optional.empty());
    }

    /** A record of a request that used no preset. */
    public GenerationRecord(
            String id,
            Instant createdAt,
            String keyHash,
            String model,
            String providerSlug,
            String providerName,
            String upstreamId,
            boolean streamed,
            boolean cancelled,
            @Nullable String finishReason,
            @Nullable String nativeFinishReason,
            long tokensPrompt,
            long tokensCompletion,
            long tokensCached,
            long tokensReasoning,
            BigDecimal cost,
            long latencyMs,
            long generationMs,
            long ttftMs,
            Optional<String> httpReferer,
            Optional<String> appTitle,
            Optional<String> user,
            int status,
            Optional<String> errorType,
            boolean usageEstimated,
            List<ProviderResponse> attempts) {
        this(
                id,
                createdAt,
                keyHash,
                model,
                providerSlug,
                providerName,
                upstreamId,
                streamed,
                cancelled,
                finishReason,
                nativeFinishReason,
                tokensPrompt,
                tokensCompletion,
                tokensCached,
                tokensReasoning,
                cost,
                latencyMs,
                generationMs,
                ttftMs,
                httpReferer,
                appTitle,
                user,
                status,
                errorType,
                usageEstimated,
                attempts,
                Optional.empty());
    }

    /** A record without its attempts listed (as stores written before attempts were kept read back). */
    public GenerationRecord(
            String id,
            Instant createdAt,
            String keyHash,
            String model,
            String providerSlug,
            String providerName,
            String upstreamId,
            boolean streamed,
            boolean cancelled,
            @Nullable String finishReason,
            @Nullable String nativeFinishReason,
            long tokensPrompt,
            long tokensCompletion,
            long tokensCached,
            long tokensReasoning,
            BigDecimal cost,
            long latencyMs,
            long generationMs,
            long ttftMs,
            Optional<String> httpReferer,
            Optional<String> appTitle,
            Optional<String> user,
            int status,
            Optional<String> errorType,
            boolean usageEstimated) {
        this(
                id,
                createdAt,
                keyHash,
                model,
                providerSlug,
                providerName,
                upstreamId,
                streamed,
                cancelled,
                finishReason,
                nativeFinishReason,
                tokensPrompt,
                tokensCompletion,
                tokensCached,
                tokensReasoning,
                cost,
                latencyMs,
                generationMs,
                ttftMs,
                httpReferer,
                appTitle,
                user,
                status,
                errorType,
                usageEstimated,
                List.of());
    }
}
