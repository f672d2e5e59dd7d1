package dev.switchboard.core.generation;

import java.math.BigDecimal;

/** Spend in USD over a key's lifetime and the current UTC day, week (from Monday) and month. */
public record UsageTotals(BigDecimal total, BigDecimal daily, BigDecimal weekly, BigDecimal monthly) {
    public static final UsageTotals ZERO = new UsageTotals(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
}
