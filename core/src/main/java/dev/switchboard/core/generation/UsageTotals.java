package dev.switchboard.core.generation;

import java.math.BigDecimal;
import java.util.Objects;

/** Spend in USD over a key's lifetime and the current UTC day, week (from Monday) and month. Exact decimals. */
public record UsageTotals(BigDecimal total, BigDecimal daily, BigDecimal weekly, BigDecimal monthly) {
    public static final UsageTotals ZERO =
            new UsageTotals(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    public UsageTotals {
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(daily, "daily");
        Objects.requireNonNull(weekly, "weekly");
        Objects.requireNonNull(monthly, "monthly");
    }

    /** Both spends added, period by period. */
    public UsageTotals plus(UsageTotals other) {
        return new UsageTotals(
                total.add(other.total), daily.add(other.daily), weekly.add(other.weekly), monthly.add(other.monthly));
    }
}
