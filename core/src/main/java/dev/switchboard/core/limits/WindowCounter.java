package dev.switchboard.core.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count of events per fixed window (a clock minute, a UTC day), starting over at each window's start:
 * how OpenRouter counts free-model requests, whose {@code X-RateLimit-Reset} is always a window's end.
 * The window's number and its count share one {@link AtomicLong} (number in the high 32 bits, count in
 * the low), so a count never leaks from one window into the next and each change is one
 * compare-and-set: O(1), lock-free, no allocation. Window numbers must fit 32 bits (minutes since the
 * epoch do until the year 10000). Thread-safe.
 */
final class WindowCounter {
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final AtomicLong state = new AtomicLong();

    /**
     * Counts one event in {@code window} if fewer than {@code limit} were counted in it.
     *
     * @return whether it was counted
     */
    boolean take(long window, long limit) {
        while (true) {
            long current = state.get();
            long count = count(current, window);
            if (count >= limit) {
                return false;
            }
            if (state.compareAndSet(current, (window << 32) | (count + 1))) {
                return true;
            }
        }
    }

    /** Uncounts one event of {@code window} (one that was counted but did not go ahead after all). */
    void giveBack(long window) {
        while (true) {
            long current = state.get();
            long count = count(current, window);
            if (count == 0 || state.compareAndSet(current, (window << 32) | (count - 1))) {
                return;
            }
        }
    }

    /** The events counted in {@code window}. */
    long used(long window) {
        return count(state.get(), window);
    }

    private static long count(long state, long window) {
        return (state >>> 32) == window ? (state & COUNT_MASK) : 0;
    }
}
