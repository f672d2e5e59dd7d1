package dev.switchboard.core.routing.health;

/**
 * How one attempt ended, as health counts it.
 *
 * @param kind                 success, failure, or a kind that does not count against uptime
 * @param firstTokenMillis     time from the attempt's start to its first content, -1 when none came
 * @param tokensPerSecond      completion tokens per second after the first one, -1 when not measured
 */
public record AttemptOutcome(Kind kind, long firstTokenMillis, double tokensPerSecond) {
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
        return new AttemptOutcome(Kind.SUCCESS, firstTokenMillis, tokensPerSecond);
    }

    public static AttemptOutcome of(Kind kind) {
        return new AttemptOutcome(kind, -1, -1);
    }
}
