package dev.switchboard.core.limits;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An allowance of units per minute (requests, or tokens), kept by the generic cell rate algorithm
 * (GCRA): a token bucket stored as one number.
 *
 * <p>Design note. A bucket of {@code L} per minute holds at most one minute's allowance, L units, and
 * refills continuously at L per minute, so each unit is worth {@code 60 s / L} of refill time. Instead of
 * a level and the time it was last updated, the bucket keeps one instant, {@code fullAt}: when it will
 * be full again if nothing more is taken. What is in use at {@code now} is {@code fullAt - now} (nothing
 * when that is negative). A take of {@code c} units is admitted when at least one unit is free
 * ({@code fullAt - now <= 60 s - one unit}) and moves {@code fullAt} to {@code max(fullAt, now) + c
 * units}; when refused, the wait is how far {@code fullAt} must still fall. So:
 * <ul>
 *   <li>requests ({@code c = 1}): a burst of L at once, then one every {@code 60 s / L}; never more than
 *       L in a moment and L per minute in the long run, and no window edge at which 2L pass within a
 *       second, as fixed one-minute windows allow;</li>
 *   <li>tokens: a request needs room for one token to start and is charged its estimate, which may
 *       overdraw the bucket (so a prompt larger than a minute's allowance is slowed, not refused for
 *       ever); the requests after it wait until the overdraft has refilled. At settlement the difference
 *       between the actual and the estimated tokens moves {@code fullAt} ({@link #adjust}); a negative
 *       difference gives time back, but never beyond {@code now}: a bucket is never fuller than full.</li>
 * </ul>
 * When the allowance changes (a key's limit is raised, say), what is in use is converted to the new
 * rate once: {@code fullAt - now} is scaled by {@code old / new}, so the units in use stay the same and a
 * raised limit admits at once. That is the one step under a lock, taken only at a change.
 * The overdraft is capped at {@link #MAX_OVERDRAFT_NANOS} (a day's wait), and a single charge at
 * {@value #MAX_UNITS} units, so the arithmetic cannot overflow with nanosecond instants since the epoch.
 *
 * <p>Cost: one {@link AtomicLong} per bucket, read and compare-and-set, retried only when another request
 * changed it in between, and one volatile read of the allowance last seen: O(1), lock-free, no
 * allocation (but at a change of allowance). Thread-safe.
 */
final class RateBucket {
    static final long MINUTE_NANOS = 60_000_000_000L;
    /** The most units one take or adjustment counts. */
    static final long MAX_UNITS = 100_000_000L;
    /** The furthest {@code fullAt} may be ahead of now. */
    static final long MAX_OVERDRAFT_NANOS = 24L * 60 * MINUTE_NANOS;

    private final AtomicLong fullAt = new AtomicLong(Long.MIN_VALUE);
    private final ReentrantLock rescaling = new ReentrantLock();
    /** The allowance {@code fullAt} is measured in; 0 before the first call. */
    private volatile long perMinuteSeen;

    /**
     * Takes {@code units} when at least one unit is free at {@code now}.
     *
     * @param now       nanoseconds, on the same time line for every call
     * @param perMinute the allowance, at least 1
     * @return 0 when taken; otherwise the nanoseconds until one unit is free, nothing having been taken
     */
    long take(long now, long perMinute, long units) {
        rescaleTo(now, perMinute);
        long one = worth(1, perMinute);
        long charge = worth(units, perMinute);
        while (true) {
            long full = fullAt.get();
            long base = Math.max(full, now);
            long wait = base - now - (MINUTE_NANOS - one);
            if (wait > 0) {
                return wait;
            }
            if (fullAt.compareAndSet(full, Math.min(base + charge, now + MAX_OVERDRAFT_NANOS))) {
                return 0;
            }
        }
    }

    /** Counts {@code units} more (positive) or gives them back (negative), whatever is free. */
    void adjust(long now, long perMinute, long units) {
        if (units == 0) {
            return;
        }
        rescaleTo(now, perMinute);
        long change = worth(Math.abs(units), perMinute);
        while (true) {
            long full = fullAt.get();
            long next = units > 0
                    ? Math.min(Math.max(full, now) + change, now + MAX_OVERDRAFT_NANOS)
                    : Math.max(full - change, now);
            if (next == full || (units < 0 && full <= now) || fullAt.compareAndSet(full, next)) {
                return;
            }
        }
    }

    /** Converts what is in use to the allowance {@code perMinute} when it is not the one of the last call. */
    private void rescaleTo(long now, long perMinute) {
        if (perMinuteSeen == perMinute) {
            return;
        }
        rescaling.lock();
        try {
            long seen = perMinuteSeen;
            if (seen == perMinute) {
                return;
            }
            while (seen != 0) {
                long full = fullAt.get();
                if (full <= now) {
                    break;
                }
                long inUse = BigInteger.valueOf(full - now)
                        .multiply(BigInteger.valueOf(seen))
                        .divide(BigInteger.valueOf(perMinute))
                        .min(BigInteger.valueOf(MAX_OVERDRAFT_NANOS))
                        .longValueExact();
                if (fullAt.compareAndSet(full, now + inUse)) {
                    break;
                }
            }
            perMinuteSeen = perMinute;
        } finally {
            rescaling.unlock();
        }
    }

    /** The refill time of {@code units}, exact to the nanosecond (rounded down). */
    static long worth(long units, long perMinute) {
        return Math.clamp(units, 0, MAX_UNITS) * MINUTE_NANOS / perMinute;
    }
}
