package dev.switchboard.core.accounting;

import java.math.BigDecimal;

/**
 * The exact USD cost of one generation and its split. Never rounded: the catalog's per-token prices
 * are exact decimals and token counts are integers, so every product is exact.
 */
public record Cost(BigDecimal total, BigDecimal prompt, BigDecimal completion) {
    public static final Cost ZERO = new Cost(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
}
