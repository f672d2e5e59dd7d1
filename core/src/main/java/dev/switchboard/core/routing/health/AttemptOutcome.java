package dev.switchboard.core.routing.health;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one attempt ended, as health counts it.
 *
 * @param kind             success, failure, or a kind that does not count against uptime
 * @param firstTokenMillis time from the attempt's start to its first content, -1 when none came
 * @param tokensPerSecond  completion tokens per second after the first one, -1 when not measured
 * @param retryAfter       for a 429, how long the provider asked to be left alone, when it said
 */
public record AttemptOutcome(Kind kind, long firstTokenMillis, double tokensPerSecond, Optional<Duration> retryAfter) {
    public AttemptOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** Which outcomes count against an endpoint. */
    public enum Kind {
        /** Answered. */
        SUCCESS,
        /** Failed on the provider's side: 5xx, connect failure, timeout, reset, malformed answer. */
        FAILURE,
        /** 429: the provider is up but busy; excluded from uptime, as OpenRouter excludes it. */
        RATE_LIMITED,
        /** The provider refused this request (400, 413, 422) or the client left: says nothing of health. */
        NEUTRAL
    }

    public static AttemptOutcome success(long firstTokenMillis, double tokensPerSecond) {
        return new AttemptOutcome(Kind.SUCCESS, firstTokenMillis, tokensPerSecond, Optional.empty());
    }

    /** A 429, with the provider's {@code Retry-After} when it sent one. */
    public static AttemptOutcome rateLimited(Optional<Duration> retryAfter) {
        return new AttemptOutcome(Kind.RATE_LIMITED, -1, -1, retryAfter);
    }

    public static AttemptOutcome of(Kind kind) {
        return new AttemptOutcome(kind, -1, -1, Optional.empty());
    }
}
