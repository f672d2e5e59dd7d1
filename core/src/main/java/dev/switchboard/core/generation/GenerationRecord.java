package dev.switchboard.core.generation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
 */
public record GenerationRecord(String id, Instant createdAt, String keyHash, String model, String providerSlug,
                               String providerName, String upstreamId, boolean streamed, boolean cancelled,
                               String finishReason, String nativeFinishReason, long tokensPrompt,
                               long tokensCompletion, long tokensCached, long tokensReasoning, BigDecimal cost,
                               long latencyMs, long generationMs, long ttftMs, Optional<String> httpReferer,
                               Optional<String> appTitle, Optional<String> user, int status,
                               Optional<String> errorType, boolean usageEstimated) {
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
    }
}
