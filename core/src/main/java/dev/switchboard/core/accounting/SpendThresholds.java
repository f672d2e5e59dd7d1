package dev.switchboard.core.accounting;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Decides when a settlement makes a key or a workspace cross 50 %, 80 % or 100 % of what it may spend (a
 * key: its limit in the limit's period; a workspace: its credits), and hands each crossing to a sink
 * once per subject, period and threshold.
 *
 * <p>Design note. For each subject it keeps the highest threshold already announced and the period it
 * belongs to; a settlement announces the thresholds between that and the share now spent. The first
 * time a subject is seen after a start, thresholds its spend had crossed before this request (its spend
 * less this request's cost) count as announced: a restart does not repeat an alert of a running period.
 * The price is that a crossing whose alert was still being delivered when the process died is not sent
 * again. A workspace's period is its credits: a new grant (a different denominator) starts a new one.
 * The check is a few comparisons per settlement; nothing is allocated unless a threshold is crossed.
 *
 * <p>Thread-safe.
 */
public final class SpendThresholds {
    static final int[] PERCENTS = {50, 80, 100};
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final Consumer<SpendAlert> sink;
    private final Clock clock;
    private final Map<String, Announced> announced = new ConcurrentHashMap<>();

    public SpendThresholds(Consumer<SpendAlert> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** What was announced for a subject: the highest threshold, within which period. */
    private record Announced(String period, int percent) {}

    /** Checks the key's and the workspace's standing after a settlement. */
    public void settled(CreditBook.Standing standing) {
        if (standing.cost().signum() <= 0) {
            return;
        }
        standing.keyLimit()
                .ifPresent(limit -> check(
                        "key",
                        standing.keyHash(),
                        standing.keyPeriodStart() + "/" + limit.toPlainString(),
                        limit,
                        standing.keySpend(),
                        standing.cost(),
                        standing.keyPeriodStart()));
        if (standing.credits().signum() > 0) {
            check(
                    "workspace",
                    standing.workspaceId(),
                    standing.credits().toPlainString(),
                    standing.credits(),
                    standing.usage(),
                    standing.cost(),
                    Instant.EPOCH);
        }
    }

    private void check(
            String subject,
            String id,
            String period,
            BigDecimal limit,
            BigDecimal spent,
            BigDecimal cost,
            Instant periodStart) {
        if (limit.signum() <= 0) {
            return;
        }
        int reached = reached(spent, limit);
        String key = subject + ":" + id;
        Announced before = announced.get(key);
        int already;
        if (before == null) {
            already = reached(spent.subtract(cost), limit);
        } else {
            already = before.period().equals(period) ? before.percent() : 0;
        }
        if (reached <= already) {
            if (before == null) {
                announced.putIfAbsent(key, new Announced(period, already));
            }
            return;
        }
        // only the thread that moves the mark announces, so two settlements cannot both send one alert
        boolean moved = before == null
                ? announced.putIfAbsent(key, new Announced(period, reached)) == null
                : announced.replace(key, before, new Announced(period, reached));
        if (!moved) {
            check(subject, id, period, limit, spent, cost, periodStart);
            return;
        }
        List<SpendAlert> alerts = new ArrayList<>(PERCENTS.length);
        Instant now = clock.instant();
        for (int percent : PERCENTS) {
            if (percent > already && percent <= reached) {
                alerts.add(new SpendAlert(subject, id, percent, limit, spent, periodStart, now));
            }
        }
        alerts.forEach(sink);
    }

    /** The highest threshold {@code spent} has reached of {@code limit}; 0 for none. */
    static int reached(BigDecimal spent, BigDecimal limit) {
        BigDecimal percent = spent.multiply(HUNDRED);
        int reached = 0;
        for (int threshold : PERCENTS) {
            if (percent.compareTo(limit.multiply(BigDecimal.valueOf(threshold))) >= 0) {
                reached = threshold;
            }
        }
        return reached;
    }

    /** For tests: the highest threshold announced for a subject, if any. */
    Optional<Integer> announced(String subject, String id) {
        return Optional.ofNullable(announced.get(subject + ":" + id)).map(Announced::percent);
    }
}
