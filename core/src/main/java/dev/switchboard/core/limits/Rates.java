package dev.switchboard.core.limits;

import dev.switchboard.core.keys.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * One key's (or one workspace's) request and token buckets. Which of them count, and at what rate, is
 * the {@link RateLimit} passed to each call, so a changed limit applies from the next request on.
 * Thread-safe.
 */
final class Rates {
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final RateBucket requests = new RateBucket();
    private final RateBucket tokens = new RateBucket();

    /**
     * Counts one request and {@code estimate} tokens, or neither.
     *
     * @param now nanoseconds since the epoch
     * @return null when counted; the refusal otherwise
     */
    @Nullable
    RateLimitExceeded take(long now, RateLimit limit, long estimate, RateScope scope) {
        if (limit.requestsPerMinute().isPresent()) {
            long perMinute = limit.requestsPerMinute().getAsLong();
            long wait = requests.take(now, perMinute, 1);
            if (wait > 0) {
                return refusal(scope.requestsMessage(perMinute), perMinute, now, wait);
            }
        }
        if (limit.tokensPerMinute().isPresent()) {
            long perMinute = limit.tokensPerMinute().getAsLong();
            long wait = tokens.take(now, perMinute, estimate);
            if (wait > 0) {
                limit.requestsPerMinute().ifPresent(rpm -> requests.adjust(now, rpm, -1));
                return refusal(scope.tokensMessage(perMinute), perMinute, now, wait);
            }
        }
        return null;
    }

    /** Undoes a {@link #take} that was counted but did not go ahead (a later limit refused). */
    void giveBack(long now, RateLimit limit, long estimate) {
        limit.requestsPerMinute().ifPresent(rpm -> requests.adjust(now, rpm, -1));
        limit.tokensPerMinute().ifPresent(tpm -> tokens.adjust(now, tpm, -estimate));
    }

    /** Counts {@code delta} more tokens (fewer when negative) at {@code tokensPerMinute}. */
    void adjustTokens(long now, long tokensPerMinute, long delta) {
        tokens.adjust(now, tokensPerMinute, delta);
    }

    private static RateLimitExceeded refusal(String message, long limit, long now, long waitNanos) {
        long nowMillis = now / NANOS_PER_MILLI;
        long resetAtMillis = (now + waitNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI;
        return new RateLimitExceeded(message, limit, nowMillis, resetAtMillis);
    }
}
