package dev.switchboard.core.error;

import dev.switchboard.core.storage.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one unchecked exception family of the gateway: every failure a client can see is one of these,
 * with a fixed {@link ErrorType} (and so a fixed HTTP status), a message safe to show the client,
 * and optional metadata rendered into {@code error.metadata}.
 *
 * <p>Stack traces are not captured: these are expected outcomes on the hot path (bad keys, bad
 * input, upstream refusals), not bugs. Messages never contain secrets or prompt text.
 */
public class GatewayException extends RuntimeException {
    private final ErrorType type;
    private final int status;
    private final Map<String, Object> metadata;
    private final Optional<Availability> availability;
    private final @Nullable Duration retryAfter;

    public GatewayException(ErrorType type, String message) {
        this(type, type.status(), message, Map.of());
    }

    public GatewayException(ErrorType type, String message, Map<String, Object> metadata) {
        this(type, type.status(), message, metadata);
    }

    /** For the few cases whose status differs from the type's default (an upstream 400 passed on, say). */
    public GatewayException(ErrorType type, int status, String message, Map<String, Object> metadata) {
        this(type, status, message, metadata, Optional.empty());
    }

    private GatewayException(
            ErrorType type,
            int status,
            String message,
            Map<String, Object> metadata,
            Optional<Availability> availability) {
        this(type, status, message, metadata, availability, null);
    }

    private GatewayException(
            ErrorType type,
            int status,
            String message,
            Map<String, Object> metadata,
            Optional<Availability> availability,
            @Nullable Duration retryAfter) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
        this.metadata = Map.copyOf(metadata);
        this.availability = availability;
        this.retryAfter = retryAfter;
    }

    /**
     * No endpoint can serve the request, for the reason {@code availability} names. Its code is also in
     * {@code metadata.code}, where clients written before the availability object look for it.
     */
    public static GatewayException unavailable(ErrorType type, String message, Availability availability) {
        Map<String, Object> metadata = availability.requestedModels().isEmpty()
                ? Map.of("code", availability.code())
                : Map.of(
                        "code",
                        availability.code(),
                        "requested_model",
                        availability.requestedModels().getFirst());
        return new GatewayException(type, type.status(), message, metadata, Optional.of(availability));
    }

    public ErrorType type() {
        return type;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public Optional<Availability> availability() {
        return availability;
    }

    /** How long the client should wait before trying again, sent as {@code Retry-After}; empty when there is no hint. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Response headers to send with the error besides {@code Retry-After}, such as a rate limit's
     * {@code X-RateLimit-*}; none for most errors.
     */
    public Map<String, String> headers() {
        return Map.of();
    }

    /** A 500 for a bug: the client learns nothing internal. */
    public static GatewayException internal() {
        return new GatewayException(ErrorType.SERVER, "Internal server error", Map.of());
    }

    public static GatewayException invalidRequest(String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message);
    }

    public static GatewayException unauthorized(String message) {
        return new GatewayException(ErrorType.AUTHENTICATION, message);
    }

    public static GatewayException forbidden(String message) {
        return new GatewayException(ErrorType.PERMISSION_DENIED, message);
    }

    /** 402: the request cannot be afforded by the workspace's credits or the key's limit. */
    public static GatewayException paymentRequired(String message) {
        return new GatewayException(ErrorType.PAYMENT_REQUIRED, message);
    }

    public static GatewayException notFound(String message) {
        return new GatewayException(ErrorType.NOT_FOUND, message);
    }

    /**
     * 503: the gateway's database cannot serve the request right now. The client learns the
     * {@link StorageException.Reason} in words and as {@code metadata.reason}; paths stay in the log.
     */
    public static GatewayException storageUnavailable(StorageException.Reason reason, @Nullable Duration retryAfter) {
        return new GatewayException(
                ErrorType.STORAGE_UNAVAILABLE,
                ErrorType.STORAGE_UNAVAILABLE.status(),
                "The gateway cannot use its database right now (" + reason.summary() + "); try again later",
                Map.of("error_type", ErrorType.STORAGE_UNAVAILABLE.wireName(), "reason", reason.code()),
                Optional.empty(),
                retryAfter);
    }

    /**
     * 503 for a new request while the records of finished ones cannot be stored fast enough (the
     * storage is failing or slow) and the backlog held in memory is at its bound.
     */
    public static GatewayException backlogFull(@Nullable Duration retryAfter) {
        return new GatewayException(
                ErrorType.STORAGE_UNAVAILABLE,
                ErrorType.STORAGE_UNAVAILABLE.status(),
                "The gateway is not accepting requests: it cannot store the records of finished requests fast enough;"
                        + " try again later",
                Map.of("error_type", ErrorType.STORAGE_UNAVAILABLE.wireName(), "reason", "backlog_full"),
                Optional.empty(),
                retryAfter);
    }

    /** 400 for a model id the catalog does not know, with OpenRouter's availability code. */
    public static GatewayException modelNotFound(String model) {
        return unavailable(
                ErrorType.INVALID_REQUEST,
                "Model '" + model + "' is not a valid model ID",
                new Availability("model_not_found", false, List.of(model)));
    }
}
