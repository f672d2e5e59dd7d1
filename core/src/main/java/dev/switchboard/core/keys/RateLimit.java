package dev.switchboard.core.keys;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How fast a key (or, in the configuration, each workspace) may go: requests started and tokens used per
 * minute. Either may be absent: no such limit. Set values are from 1 to their maximum.
 *
 * @param requestsPerMinute requests that may start per minute
 * @param tokensPerMinute   prompt and completion tokens per minute
 */
public record RateLimit(OptionalLong requestsPerMinute, OptionalLong tokensPerMinute) {
    /** The largest request rate accepted: more than a gateway node can serve. */
    public static final long MAX_REQUESTS_PER_MINUTE = 10_000_000L;
    /** The largest token rate accepted. */
    public static final long MAX_TOKENS_PER_MINUTE = 10_000_000_000L;

    public static final RateLimit NONE = new RateLimit(OptionalLong.empty(), OptionalLong.empty());

    public RateLimit {
        Objects.requireNonNull(requestsPerMinute, "requestsPerMinute");
        Objects.requireNonNull(tokensPerMinute, "tokensPerMinute");
        check(requestsPerMinute, MAX_REQUESTS_PER_MINUTE, "requestsPerMinute");
        check(tokensPerMinute, MAX_TOKENS_PER_MINUTE, "tokensPerMinute");
    }

    /** Whether either limit is set. */
    public boolean limited() {
        return requestsPerMinute.isPresent() || tokensPerMinute.isPresent();
    }

    public RateLimit withRequestsPerMinute(OptionalLong value) {
        return new RateLimit(value, tokensPerMinute);
    }

    public RateLimit withTokensPerMinute(OptionalLong value) {
        return new RateLimit(requestsPerMinute, value);
    }

    private static void check(OptionalLong value, long max, String name) {
        if (value.isPresent() && (value.getAsLong() < 1 || value.getAsLong() > max)) {
            throw new IllegalArgumentException(name + " must be from 1 to " + max);
        }
    }
}
