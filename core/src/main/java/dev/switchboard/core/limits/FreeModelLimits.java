package dev.switchboard.core.limits;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's limits on free models, per workspace (OpenRouter's are per account: more keys do not
 * raise them): {@value #PER_MINUTE} requests per clock minute, and per UTC day {@value #DAILY} while the
 * workspace has been granted less than {@link #HIGH_BALANCE_GRANTS} USD in all, {@value #DAILY_HIGH_BALANCE}
 * once it has. The windows are fixed, as OpenRouter's are (its {@code X-RateLimit-Reset} is always the
 * end of a minute or 00:00 UTC), and the refusals carry its messages word for word.
 *
 * <p>A request is counted against the day first and the minute second; refused by the minute, it gives its
 * day's count back, so a refused request counts nowhere. Memory: two counters per workspace. Thread-safe.
 */
final class FreeModelLimits {
    static final long PER_MINUTE = 20;
    static final long DAILY = 50;
    static final long DAILY_HIGH_BALANCE = 1000;
    static final BigDecimal HIGH_BALANCE_GRANTS = BigDecimal.TEN;
    static final long MINUTE_MILLIS = 60_000;
    static final long DAY_MILLIS = 86_400_000;

    static final String PER_MINUTE_MESSAGE = "Rate limit exceeded: free-models-per-min.";
    static final String DAILY_MESSAGE =
            "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day";
    /** OpenRouter's text, its trailing space included. */
    static final String DAILY_HIGH_BALANCE_MESSAGE = "Rate limit exceeded: free-models-per-day-high-balance. ";

    private final GrantedCredits granted;
    private final Map<String, Counters> byWorkspace = new ConcurrentHashMap<>();

    FreeModelLimits(GrantedCredits granted) {
        this.granted = granted;
    }

    /** Counts one free-model request of the workspace at {@code nowMillis}; the refusal when a limit is reached. */
    @Nullable
    RateLimitExceeded take(String workspaceId, long nowMillis) {
        Counters counters = counters(workspaceId);
        boolean highBalance = granted.atLeast(workspaceId, HIGH_BALANCE_GRANTS);
        long daily = highBalance ? DAILY_HIGH_BALANCE : DAILY;
        long day = nowMillis / DAY_MILLIS;
        if (!counters.day.take(day, daily)) {
            return new RateLimitExceeded(
                    highBalance ? DAILY_HIGH_BALANCE_MESSAGE : DAILY_MESSAGE, daily, nowMillis, (day + 1) * DAY_MILLIS);
        }
        long minute = nowMillis / MINUTE_MILLIS;
        if (!counters.minute.take(minute, PER_MINUTE)) {
            counters.day.giveBack(day);
            return new RateLimitExceeded(PER_MINUTE_MESSAGE, PER_MINUTE, nowMillis, (minute + 1) * MINUTE_MILLIS);
        }
        return null;
    }

    FreeModelUsage usage(String workspaceId, long nowMillis) {
        long daily = granted.atLeast(workspaceId, HIGH_BALANCE_GRANTS) ? DAILY_HIGH_BALANCE : DAILY;
        Counters counters = byWorkspace.get(workspaceId);
        long used = counters == null ? 0 : counters.day.used(nowMillis / DAY_MILLIS);
        return new FreeModelUsage(daily, Math.max(daily - used, 0), used);
    }

    private Counters counters(String workspaceId) {
        Counters counters = byWorkspace.get(workspaceId);
        return counters != null ? counters : byWorkspace.computeIfAbsent(workspaceId, w -> new Counters());
    }

    private static final class Counters {
        private final WindowCounter minute = new WindowCounter();
        private final WindowCounter day = new WindowCounter();
    }
}
