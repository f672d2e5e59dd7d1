package dev.switchboard.core.accounting;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The exact USD cost of one generation and its split. Never rounded: the catalog's per-token prices
 * are exact decimals and token counts are integers, so every product is exact.
 *
 * @param total         what the workspace's credits are charged: the inference at list price, or for a
 *                      request served with the workspace's own key only the BYOK fee
 * @param prompt        the prompt's part of the inference at list price
 * @param completion    the completion's part of the inference at list price
 * @param cacheDiscount what prompt caching saved against the plain prompt price (negative when writing
 *                      to the cache cost more than it saved); empty when no prompt token was billed at a
 *                      cache price
 * @param byokUpstream  for a request served with the workspace's own key, the inference at list price,
 *                      which the provider bills to that key; empty otherwise
 */
public record Cost(
        BigDecimal total,
        BigDecimal prompt,
        BigDecimal completion,
        Optional<BigDecimal> cacheDiscount,
        Optional<BigDecimal> byokUpstream) {
    public static final Cost ZERO = new Cost(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    public Cost {
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(cacheDiscount, "cacheDiscount");
        Objects.requireNonNull(byokUpstream, "byokUpstream");
    }

    /** A cost charged to credits in full. */
    public Cost(BigDecimal total, BigDecimal prompt, BigDecimal completion, Optional<BigDecimal> cacheDiscount) {
        this(total, prompt, completion, cacheDiscount, Optional.empty());
    }

    /** A cost with no prompt token billed at a cache price. */
    public Cost(BigDecimal total, BigDecimal prompt, BigDecimal completion) {
        this(total, prompt, completion, Optional.empty());
    }

    /** The inference at list price {@code list}, served with the workspace's own key: credits pay {@code fee}. */
    public static Cost byok(Cost list, BigDecimal fee) {
        return new Cost(fee, list.prompt(), list.completion(), list.cacheDiscount(), Optional.of(list.total()));
    }

    /** Whether the workspace's own key served it. */
    public boolean byok() {
        return byokUpstream.isPresent();
    }

    /** What the provider charged for the inference: the list price ({@code upstream_inference_cost}). */
    public BigDecimal upstreamInference() {
        return byokUpstream.orElse(total);
    }
}
