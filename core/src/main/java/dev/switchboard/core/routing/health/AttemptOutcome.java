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
 * @param toolUse          for a request that offered tools, whether the endpoint handled them well
 */
public record AttemptOutcome(
        Kind kind, long firstTokenMillis, double tokensPerSecond, Optional<Duration> retryAfter, ToolUse toolUse) {
    public AttemptOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(toolUse, "toolUse");
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

    /**
     * What an attempt says of the endpoint's tool calling, which {@code :exacto} ranks by. Only attempts
     * of requests that offered tools count, and only when they say something of the endpoint.
     */
    public enum ToolUse {
        /** Not counted: no tools offered, or an outcome that says nothing (429, refusal, cut off by the token limit). */
        NONE,
        /** Answered, and every tool call's arguments (if it made any) are a JSON object. */
        OK,
        /** Failed on the provider's side, or called a tool with arguments that are not a JSON object. */
        ERROR
    }

    public static AttemptOutcome success(long firstTokenMillis, double tokensPerSecond) {
        return new AttemptOutcome(Kind.SUCCESS, firstTokenMillis, tokensPerSecond, Optional.empty(), ToolUse.NONE);
    }

    /** A 429, with the provider's {@code Retry-After} when it sent one. */
    public static AttemptOutcome rateLimited(Optional<Duration> retryAfter) {
        return new AttemptOutcome(Kind.RATE_LIMITED, -1, -1, retryAfter, ToolUse.NONE);
    }

    public static AttemptOutcome of(Kind kind) {
        return new AttemptOutcome(kind, -1, -1, Optional.empty(), ToolUse.NONE);
    }

    /** This outcome, with what it says of tool calling. */
    public AttemptOutcome withToolUse(ToolUse value) {
        return new AttemptOutcome(kind, firstTokenMillis, tokensPerSecond, retryAfter, value);
    }
}
