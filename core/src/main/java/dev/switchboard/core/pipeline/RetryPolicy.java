package dev.switchboard.core.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a request whose every attempt failed transiently (5xx, 429, connect failures, first-byte
 * timeouts) goes through its plan once more.
 *
 * <p>Design note. Fallback already moves on to the next endpoint at once; a retry is a later pass over
 * the whole plan, worth it for failures that pass (an overloaded provider, a rate limit). Each further
 * pass waits a jittered backoff, {@code baseBackoff × 2^(pass-1)} drawn uniformly from its upper half,
 * or the smallest {@code Retry-After} the providers sent when that is longer. No pass starts when its
 * wait exceeds {@code maxWait} or the request's time budget ({@code timeouts.total}, which bounds all
 * attempts together) would be spent before it began. The wait happens before anything was sent to the
 * client of a non-streamed request; a streamed one keeps receiving keep-alive comments meanwhile.
 *
 * <p>Off by default ({@code routing.retries: 0}): the official SDKs retry 5xx and 429 themselves (the
 * OpenAI SDK twice), so a gateway that also retried would multiply the attempts and the client's wait,
 * and on a stream a retry's wait outlasting a keep-alive turns a clean error status into an in-band
 * error. Operators whose clients do not retry turn it on.
 *
 * @param retries     further passes over the plan after the first, 0 for none
 * @param baseBackoff the wait before the first retry, before jitter
 * @param maxWait     the longest wait the gateway accepts before a retry, a provider's hint included
 * @param pause       how a wait is spent (the thread sleeps; tests record it instead)
 */
public record RetryPolicy(int retries, Duration baseBackoff, Duration maxWait, Pause pause) {
    /** No retries: the plan is tried once. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Pause.SLEEP);

    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
        Objects.requireNonNull(baseBackoff, "baseBackoff");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(pause, "pause");
    }

    /** How long to wait before pass {@code pass} (1 for the first retry), given the providers' hint. */
    Duration waitBefore(int pass, Optional<Duration> retryAfter) {
        long ceiling = baseBackoff.toNanos() << Math.min(pass - 1, 20);
        long jittered = ceiling <= 1 ? ceiling : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        Duration backoff = Duration.ofNanos(jittered);
        return retryAfter.filter(hint -> hint.compareTo(backoff) > 0).orElse(backoff);
    }

    /** Spends a wait. */
    @FunctionalInterface
    public interface Pause {
        /** Waits {@code duration}; false when interrupted, and the retry is then given up. */
        boolean pause(Duration duration);

        Pause SLEEP = duration -> {
            try {
                Thread.sleep(duration);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }
}
