package dev.switchboard.core.limits;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * 429: a rate limit refused the request. Sent the way OpenRouter sends its own platform limits: a message
 * naming the limit ({@code Rate limit exceeded: free-models-per-min.}), the headers
 * {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} (always 0 here) and {@code X-RateLimit-Reset}
 * (when the limit admits again, in Unix milliseconds), the same three echoed in {@code metadata.headers},
 * and {@code Retry-After} in whole seconds, rounded up. Built without a stack trace, as every
 * {@link GatewayException}.
 */
public final class RateLimitExceeded extends GatewayException {
    private final Map<String, String> headers;
    private final Duration retryAfter;

    /**
     * @param limit         the limit that refused, in its own unit (requests or tokens per its window)
     * @param nowMillis     when it refused, in Unix milliseconds
     * @param resetAtMillis when it admits again, in Unix milliseconds
     */
    RateLimitExceeded(String message, long limit, long nowMillis, long resetAtMillis) {
        this(message, headers(limit, resetAtMillis), nowMillis, resetAtMillis);
    }

    private RateLimitExceeded(String message, Map<String, String> headers, long nowMillis, long resetAtMillis) {
        super(ErrorType.RATE_LIMIT_EXCEEDED, message, Map.of("headers", headers));
        this.headers = headers;
        long waitMillis = Math.max(resetAtMillis - nowMillis, 1);
        this.retryAfter = Duration.ofSeconds((waitMillis + 999) / 1000);
    }

    private static Map<String, String> headers(long limit, long resetAtMillis) {
        Map<String, String> headers = new LinkedHashMap<>(4);
        headers.put("X-RateLimit-Limit", Long.toString(limit));
        headers.put("X-RateLimit-Remaining", "0");
        headers.put("X-RateLimit-Reset", Long.toString(resetAtMillis));
        return Collections.unmodifiableMap(headers);
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    /** Whole seconds until the limit admits again, at least one. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(retryAfter);
    }
}
