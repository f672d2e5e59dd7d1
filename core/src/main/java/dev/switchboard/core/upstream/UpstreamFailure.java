package dev.switchboard.core.upstream;

import dev.switchboard.core.error.ErrorType;

/**
 * The one classification of upstream failures. Each kind fixes what the client sees (error type and
 * status), whether a later attempt of the route plan may be tried instead, and the metric tag.
 *
 * <p>Upstream HTTP errors are classified by status with {@link #ofStatus(int)}; transport failures are
 * classified where they happen (connect, timeouts, malformed bodies, client cancellation).
 */
public enum UpstreamFailure {
    /** TCP connect refused or unreachable. */
    CONNECT(ErrorType.PROVIDER_UNAVAILABLE, true, "connect"),
    /** No connection within the connect timeout. */
    CONNECT_TIMEOUT(ErrorType.TIMEOUT, true, "connect_timeout"),
    /** Connected, but no response byte within the first-byte timeout. */
    FIRST_BYTE_TIMEOUT(ErrorType.TIMEOUT, true, "first_byte_timeout"),
    /** A stream fell silent for longer than the idle timeout. */
    IDLE_TIMEOUT(ErrorType.TIMEOUT, false, "idle_timeout"),
    /** The whole exchange took longer than the total timeout. */
    TOTAL_TIMEOUT(ErrorType.TIMEOUT, false, "total_timeout"),
    /** The provider answered 429. */
    RATE_LIMITED(ErrorType.RATE_LIMIT_EXCEEDED, true, "rate_limited"),
    /** The provider rejected the request itself (400, 413, 422): another provider would too. */
    REJECTED(ErrorType.INVALID_REQUEST, false, "rejected"),
    /** Any other 4xx (bad provider credentials, unknown upstream model): the gateway's setup, not the client. */
    PROVIDER_CLIENT_ERROR(ErrorType.PROVIDER_UNAVAILABLE, true, "provider_4xx"),
    /** A 5xx from the provider. */
    SERVER_ERROR(ErrorType.PROVIDER_UNAVAILABLE, true, "provider_5xx"),
    /**
     * The provider answered, but not in its documented wire format, or the connection broke before the
     * answer was complete. Another provider may well answer; and as for every retryable failure, the
     * next attempt runs only while nothing of this one has reached the client.
     */
    MALFORMED(ErrorType.PROVIDER_UNAVAILABLE, true, "malformed"),
    /** The client went away; nothing is sent to it. */
    CANCELLED(ErrorType.SERVER, false, "cancelled");

    private final ErrorType clientError;
    private final boolean retryable;
    private final String metricTag;

    UpstreamFailure(ErrorType clientError, boolean retryable, String metricTag) {
        this.clientError = clientError;
        this.retryable = retryable;
        this.metricTag = metricTag;
    }

    /** Classifies an upstream HTTP error status. */
    public static UpstreamFailure ofStatus(int status) {
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status == 400 || status == 413 || status == 422) {
            return REJECTED;
        }
        return status >= 500 ? SERVER_ERROR : PROVIDER_CLIENT_ERROR;
    }

    /** The error type the client is sent. */
    public ErrorType clientError() {
        return clientError;
    }

    /**
     * Whether the next attempt of a route plan may be tried. The request path asks only before the
     * attempt's first content was committed to the client; after that a failure always ends the request.
     */
    public boolean retryable() {
        return retryable;
    }

    /** Low-cardinality tag for metrics. */
    public String metricTag() {
        return metricTag;
    }
}
