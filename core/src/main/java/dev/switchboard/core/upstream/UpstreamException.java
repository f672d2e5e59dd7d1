package dev.switchboard.core.upstream;

import dev.switchboard.core.error.GatewayException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An upstream call failed. Carries the classification, the provider's HTTP status (0 when none was
 * received) and its raw error body, which is passed to the client as {@code metadata.raw} exactly as
 * OpenRouter does (the provider's error text, never our secrets).
 */
public final class UpstreamException extends GatewayException {
    private final UpstreamFailure failure;
    private final int upstreamStatus;
    private final @Nullable Duration retryAfter;

    /** A failure whose {@code provider_code} is the provider's HTTP status, when one arrived. */
    public UpstreamException(
            UpstreamFailure failure,
            String providerName,
            int upstreamStatus,
            String message,
            @Nullable String rawBody,
            @Nullable Duration retryAfter) {
        this(
                failure,
                providerName,
                upstreamStatus,
                upstreamStatus > 0 ? Integer.toString(upstreamStatus) : null,
                message,
                rawBody,
                retryAfter);
    }

    /**
     * @param providerCode the provider's own code for the failure ({@code "429"}, {@code "server_error"}),
     *                     reported as {@code metadata.provider_code}; null when the provider gave none
     */
    public UpstreamException(
            UpstreamFailure failure,
            String providerName,
            int upstreamStatus,
            @Nullable String providerCode,
            String message,
            @Nullable String rawBody,
            @Nullable Duration retryAfter) {
        super(
                failure.clientError(),
                clientStatus(failure, upstreamStatus),
                message,
                metadata(failure, providerName, providerCode, rawBody));
        this.failure = failure;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
    }

    public static UpstreamException of(UpstreamFailure failure, String providerName, String message) {
        return new UpstreamException(failure, providerName, 0, message, null, null);
    }

    public UpstreamFailure failure() {
        return failure;
    }

    /** What stands in for a credential a provider quoted in its error. */
    public static final String REDACTED = "[credential redacted]";

    /**
     * This failure without {@code secret} in its message or raw body: a provider may quote the key it was
     * called with ("Incorrect API key provided: ..."), and neither the gateway's shared keys nor a
     * workspace's own ones are handed on to a client or a record. Itself when it holds no such text.
     */
    public UpstreamException withoutSecret(String secret) {
        Object raw = metadata().get("raw");
        boolean inMessage = getMessage() != null && getMessage().contains(secret);
        boolean inRaw = raw instanceof String text && text.contains(secret);
        if (secret.isEmpty() || (!inMessage && !inRaw)) {
            return this;
        }
        Object providerName = metadata().get("provider_name");
        Object providerCode = metadata().get("provider_code");
        return new UpstreamException(
                failure,
                providerName == null ? "" : providerName.toString(),
                upstreamStatus,
                providerCode == null ? null : providerCode.toString(),
                String.valueOf(getMessage()).replace(secret, REDACTED),
                raw == null ? null : raw.toString().replace(secret, REDACTED),
                retryAfter);
    }

    /** The provider's HTTP status, or 0 when the failure happened before one arrived. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    /** The provider's {@code Retry-After} hint, if it gave one. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static int clientStatus(UpstreamFailure failure, int upstreamStatus) {
        // A request the provider rejected as malformed keeps the provider's 4xx (400, 413, 422).
        return failure == UpstreamFailure.REJECTED
                ? upstreamStatus
                : failure.clientError().status();
    }

    private static Map<String, Object> metadata(
            UpstreamFailure failure, String providerName, @Nullable String providerCode, @Nullable String rawBody) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("provider_name", providerName);
        metadata.put("raw", rawBody);
        metadata.put("error_type", failure.clientError().wireName());
        metadata.put("provider_code", providerCode);
        metadata.values().removeIf(v -> v == null);
        return metadata;
    }
}
