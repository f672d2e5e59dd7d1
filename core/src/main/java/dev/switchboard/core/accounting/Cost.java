package dev.switchboard.core.accounting;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The exact USD cost of one generation and its split. Never rounded: the catalog's per-token prices
 * are exact decimals and token counts are integers, so every product is exact.
 *
 * @param cacheDiscount what prompt caching saved against the plain prompt price (negative when writing
 *                      to the cache cost more than it saved); empty when no prompt token was billed at a
 *                      cache price
 */
public record Cost(BigDecimal total, BigDecimal prompt, BigDecimal completion, Optional<BigDecimal> cacheDiscount) {
    public static final Cost ZERO = new Cost(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    public Cost {
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(cacheDiscount, "cacheDiscount");
    }

    /** A cost with no prompt token billed at a cache price. */
    public Cost(BigDecimal total, BigDecimal prompt, BigDecimal completion) {
        this(total, prompt, completion, Optional.empty());
    }
}
