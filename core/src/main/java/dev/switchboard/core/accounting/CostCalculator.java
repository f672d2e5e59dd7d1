package dev.switchboard.core.accounting;

import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.model.response.TokenUsage;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Prices a generation from an endpoint's {@link Pricing} and the provider's token counts.
 *
 * <p>Prompt tokens read from cache are billed at {@code input_cache_read} when the endpoint has that
 * price, and the rest of the prompt at {@code prompt}; tokens written to cache are billed at
 * {@code input_cache_write} when priced. Reasoning tokens are completion tokens (they are included in
 * {@code completion_tokens}) and billed at the completion price. A per-request price is added once.
 *
 * <p>The cache discount ({@code cache_discount} in {@code GET /generation}) is the difference between the
 * prompt price and the cache price a token was billed at, times the tokens billed at it: what reading
 * from the cache saved, less what writing to it cost above the plain price, so negative when writes
 * outweigh reads. It is as exact as the cost.
 */
public final class CostCalculator {
    private CostCalculator() {}

    public static Cost cost(Pricing pricing, TokenUsage usage) {
        long cached = pricing.inputCacheRead().signum() > 0 ? Math.min(usage.cachedPrompt(), usage.prompt()) : 0;
        long written =
                pricing.inputCacheWrite().signum() > 0 ? Math.min(usage.cacheWrite(), usage.prompt() - cached) : 0;
        long plainPrompt = usage.prompt() - cached - written;
        BigDecimal prompt = times(pricing.prompt(), plainPrompt)
                .add(times(pricing.inputCacheRead(), cached))
                .add(times(pricing.inputCacheWrite(), written));
        BigDecimal completion = times(pricing.completion(), usage.completion());
        BigDecimal total = prompt.add(completion).add(pricing.request());
        return new Cost(strip(total), strip(prompt), strip(completion), cacheDiscount(pricing, cached, written));
    }

    private static Optional<BigDecimal> cacheDiscount(Pricing pricing, long cached, long written) {
        if (cached == 0 && written == 0) {
            return Optional.empty();
        }
        BigDecimal saved = times(pricing.prompt().subtract(pricing.inputCacheRead()), cached)
                .add(times(pricing.prompt().subtract(pricing.inputCacheWrite()), written));
        return Optional.of(strip(saved));
    }

    private static BigDecimal times(BigDecimal price, long tokens) {
        return tokens == 0 ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(tokens));
    }

    private static BigDecimal strip(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }
}
