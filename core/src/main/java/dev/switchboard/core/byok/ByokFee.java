package dev.switchboard.core.byok;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a request served with a workspace's own key costs its credits: {@code percent} of what the same
 * model and endpoint cost at list price ({@code byok.fee_percent}, 5 by default, as OpenRouter charges).
 * Exact: the list price times the percentage, moved two decimal places; never rounded.
 */
public record ByokFee(BigDecimal percent) {
    public static final ByokFee DEFAULT = new ByokFee(new BigDecimal("5"));

    public ByokFee {
        Objects.requireNonNull(percent, "percent");
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("a BYOK fee is from 0 to 100 percent");
        }
    }

    /** The fee on {@code listCost}. */
    public BigDecimal of(BigDecimal listCost) {
        BigDecimal fee = listCost.multiply(percent).movePointLeft(2);
        return fee.signum() == 0 ? BigDecimal.ZERO : fee.stripTrailingZeros();
    }

    /** The fee as a fraction of the list price ({@code 0.05} for 5 %). */
    public BigDecimal fraction() {
        return percent.movePointLeft(2);
    }
}
