package dev.switchboard.core.error;

/**
 * The closed set of error types the gateway reports, each with the HTTP status it is sent with.
 * The names are OpenRouter's {@code error_type} values, so clients that branch on them keep working.
 */
public enum ErrorType {
    INVALID_REQUEST("invalid_request", 400),
    /** The prompt and {@code max_tokens} fit no endpoint of the requested models. */
    CONTEXT_LENGTH_EXCEEDED("context_length_exceeded", 400),
    AUTHENTICATION("authentication", 401),
    PAYMENT_REQUIRED("payment_required", 402),
    PERMISSION_DENIED("permission_denied", 403),
    NOT_FOUND("not_found", 404),
    /** A known path asked with a method it does not take; not in OpenRouter's list, which has no 405. */
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    /** A write that contradicts what is stored (a credit entry id already used for another entry); ours. */
    CONFLICT("conflict", 409),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    /** A request body in a {@code Content-Encoding} the gateway does not decode; not in OpenRouter's list. */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    RATE_LIMIT_EXCEEDED("rate_limit_exceeded", 429),
    PROVIDER_UNAVAILABLE("provider_unavailable", 502),
    PROVIDER_OVERLOADED("provider_overloaded", 503),
    /**
     * The gateway's own database cannot take the request's writes (disk full, file missing, a backlog
     * of unstored records at its bound); not in OpenRouter's list, whose 503 means a provider. Sent with
     * {@code Retry-After}.
     */
    STORAGE_UNAVAILABLE("storage_unavailable", 503),
    TIMEOUT("timeout", 504),
    SERVER("server", 500);

    private final String wireName;
    private final int status;

    ErrorType(String wireName, int status) {
        this.wireName = wireName;
        this.status = status;
    }

    /** The {@code error_type} string clients see. */
    public String wireName() {
        return wireName;
    }

    /** The HTTP status this type is sent with. */
    public int status() {
        return status;
    }
}
