package dev.switchboard.core.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.model.response.TokenUsage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
    private static final BigDecimal ZERO = BigDecimal.ZERO;

    @Test
    void pricesPromptAndCompletionTokensExactly() {
        Cost cost = CostCalculator.cost(Pricing.of("0.0000025", "0.00001"), new TokenUsage(1000, 500, 0, 0, 0));

        assertThat(cost.prompt().toPlainString()).isEqualTo("0.0025");
        assertThat(cost.completion().toPlainString()).isEqualTo("0.005");
        assertThat(cost.total().toPlainString()).isEqualTo("0.0075");
    }

    @Test
    void sumsWithoutFloatingPointError() {
        Cost cost = CostCalculator.cost(Pricing.of("0.1", "0.2"), new TokenUsage(1, 1, 0, 0, 0));

        assertThat(0.1 + 0.2).as("what double arithmetic would give").isNotEqualTo(0.3);
        assertThat(cost.total()).isEqualTo(new BigDecimal("0.3"));
    }

    @Test
    void keepsEveryDigitOfTinyPricesTimesLargeCounts() {
        Cost cost = CostCalculator.cost(
                Pricing.of("0.000000123456789", "0.000000987654321"),
                new TokenUsage(987_654_321, 123_456_789, 0, 0, 0));

        assertThat(cost.prompt()).isEqualByComparingTo("121.932631112635269");
        assertThat(cost.completion()).isEqualByComparingTo("121.932631112635269");
        assertThat(cost.total()).isEqualByComparingTo("243.865262225270538");
    }

    @Test
    void billsCachedPromptTokensAtTheCacheReadPrice() {
        Pricing pricing = new Pricing(
                new BigDecimal("0.000003"), new BigDecimal("0.000015"), ZERO, new BigDecimal("0.0000003"), ZERO, ZERO);

        Cost cost = CostCalculator.cost(pricing, new TokenUsage(1000, 100, 800, 0, 0));

        // 200 uncached at 0.000003 + 800 cached at 0.0000003 = 0.0006 + 0.00024
        assertThat(cost.prompt()).isEqualByComparingTo("0.00084");
        assertThat(cost.completion()).isEqualByComparingTo("0.0015");
        assertThat(cost.total()).isEqualByComparingTo("0.00234");
    }

    @Test
    void billsCachedTokensAtThePromptPriceWhenTheEndpointHasNoCachePrice() {
        Cost cost = CostCalculator.cost(Pricing.of("0.000003", "0.000015"), new TokenUsage(1000, 0, 800, 0, 0));

        assertThat(cost.prompt()).isEqualByComparingTo("0.003");
    }

    @Test
    void neverBillsMoreCachedTokensThanPromptTokens() {
        Pricing pricing = new Pricing(new BigDecimal("0.000003"), ZERO, ZERO, new BigDecimal("0.0000003"), ZERO, ZERO);

        Cost cost = CostCalculator.cost(pricing, new TokenUsage(100, 0, 5000, 0, 0));

        assertThat(cost.prompt()).isEqualByComparingTo("0.00003");
    }

    @Test
    void billsCacheWritesAtTheCacheWritePrice() {
        Pricing pricing = new Pricing(
                new BigDecimal("0.000003"),
                ZERO,
                ZERO,
                new BigDecimal("0.0000003"),
                new BigDecimal("0.00000375"),
                ZERO);

        Cost cost = CostCalculator.cost(pricing, new TokenUsage(1000, 0, 200, 500, 0));

        // 300 plain at 0.000003 + 200 read at 0.0000003 + 500 written at 0.00000375 = 0.0009 + 0.00006 + 0.001875
        assertThat(cost.prompt()).isEqualByComparingTo("0.002835");
    }

    @Test
    void neverBillsMoreWrittenTokensThanTheUncachedPrompt() {
        Pricing pricing = new Pricing(
                new BigDecimal("0.000003"),
                ZERO,
                ZERO,
                new BigDecimal("0.0000003"),
                new BigDecimal("0.00000375"),
                ZERO);

        Cost cost = CostCalculator.cost(pricing, new TokenUsage(1000, 0, 600, 900, 0));

        // 600 read at 0.0000003 + the remaining 400 written at 0.00000375
        assertThat(cost.prompt()).isEqualByComparingTo("0.00168");
    }

    @Test
    void theCacheDiscountIsWhatCachedTokensSavedAgainstThePromptPrice() {
        Pricing pricing = new Pricing(
                new BigDecimal("0.000003"), new BigDecimal("0.000015"), ZERO, new BigDecimal("0.0000003"), ZERO, ZERO);

        Cost cost = CostCalculator.cost(pricing, new TokenUsage(1000, 100, 800, 0, 0));

        // 800 cached tokens at 0.0000027 less than the prompt price
        assertThat(cost.cacheDiscount()).hasValueSatisfying(d -> assertThat(d).isEqualByComparingTo("0.00216"));
        assertThat(cost.prompt().add(cost.cacheDiscount().orElseThrow()))
                .as("the prompt at the plain price")
                .isEqualByComparingTo("0.003");
    }

    @Test
    void cacheWritesMakeTheDiscountNegativeWhenTheyOutweighReads() {
        Pricing pricing = new Pricing(
                new BigDecimal("0.000003"),
                ZERO,
                ZERO,
                new BigDecimal("0.0000003"),
                new BigDecimal("0.00000375"),
                ZERO);

        Cost cost = CostCalculator.cost(pricing, new TokenUsage(1000, 0, 200, 500, 0));

        // 200 read save 0.00054; 500 written cost 0.000375 more than plain
        assertThat(cost.cacheDiscount()).hasValueSatisfying(d -> assertThat(d).isEqualByComparingTo("0.000165"));
        Cost writesOnly = CostCalculator.cost(pricing, new TokenUsage(1000, 0, 0, 1000, 0));
        assertThat(writesOnly.cacheDiscount())
                .hasValueSatisfying(d -> assertThat(d).isEqualByComparingTo("-0.00075"));
    }

    @Test
    void hasNoCacheDiscountWhenNoTokenWasBilledAtACachePrice() {
        Pricing noCachePrices = Pricing.of("0.000003", "0.000015");

        assertThat(CostCalculator.cost(noCachePrices, new TokenUsage(1000, 0, 800, 100, 0))
                        .cacheDiscount())
                .isEmpty();
        assertThat(CostCalculator.cost(Pricing.of("0.000003", "0.000015"), new TokenUsage(10, 1, 0, 0, 0))
                        .cacheDiscount())
                .isEmpty();
    }

    @Test
    void addsTheRequestPriceOnce() {
        Pricing pricing = new Pricing(
                new BigDecimal("0.000001"), new BigDecimal("0.000002"), new BigDecimal("0.001"), ZERO, ZERO, ZERO);

        assertThat(CostCalculator.cost(pricing, new TokenUsage(10, 5, 0, 0, 0)).total())
                .isEqualByComparingTo("0.00102");
        assertThat(CostCalculator.cost(pricing, TokenUsage.ZERO).total()).isEqualByComparingTo("0.001");
        assertThat(CostCalculator.cost(pricing, TokenUsage.ZERO).prompt()).isEqualByComparingTo("0");
    }

    @Test
    void billsReasoningTokensAsTheCompletionTokensTheyAreIncludedIn() {
        Cost withReasoning = CostCalculator.cost(Pricing.of("0", "0.00001"), new TokenUsage(0, 100, 0, 0, 60));

        assertThat(withReasoning.completion()).isEqualByComparingTo("0.001");
    }

    @Test
    void freeGenerationCostsExactlyZero() {
        Cost cost = CostCalculator.cost(Pricing.FREE, new TokenUsage(123, 456, 7, 8, 9));

        assertThat(cost.total()).isSameAs(BigDecimal.ZERO);
        assertThat(cost.total().toPlainString()).isEqualTo("0");
    }

    @Test
    void resultCarriesNoTrailingZeros() {
        Cost cost = CostCalculator.cost(Pricing.of("0.0000020", "0.0000100"), new TokenUsage(500, 50, 0, 0, 0));

        assertThat(cost.total().toPlainString()).isEqualTo("0.0015");
    }

    /** Many random prices and counts against an independent computation in integer arithmetic. */
    @Test
    void agreesWithIndependentIntegerArithmeticOverManyRandomUsages() {
        Random random = new Random(20250319L);
        for (int i = 0; i < 20_000; i++) {
            Pricing pricing = new Pricing(
                    randomPrice(random),
                    randomPrice(random),
                    random.nextInt(4) == 0 ? randomPrice(random) : ZERO,
                    random.nextBoolean() ? randomPrice(random) : ZERO,
                    random.nextInt(3) == 0 ? randomPrice(random) : ZERO,
                    ZERO);
            long prompt = randomTokens(random);
            long cached = random.nextBoolean() ? (long) (random.nextDouble() * prompt * 1.2) : 0;
            long written = random.nextInt(3) == 0 ? (long) (random.nextDouble() * prompt) : 0;
            TokenUsage usage = new TokenUsage(prompt, randomTokens(random), cached, written, 0);

            Cost cost = CostCalculator.cost(pricing, usage);

            BigDecimal expected = independentTotal(pricing, usage);
            assertThat(cost.total().compareTo(expected))
                    .as(
                            "case %d: %s %s -> %s, expected %s",
                            i, pricing, usage, cost.total().toPlainString(), expected.toPlainString())
                    .isZero();
            assertThat(cost.total())
                    .isEqualByComparingTo(cost.prompt().add(cost.completion()).add(pricing.request()));
        }
    }

    /** Sum of price × tokens computed as integers at a common scale, without BigDecimal multiplication. */
    private static BigDecimal independentTotal(Pricing pricing, TokenUsage usage) {
        long cached = pricing.inputCacheRead().signum() > 0 ? Math.min(usage.cachedPrompt(), usage.prompt()) : 0;
        long written =
                pricing.inputCacheWrite().signum() > 0 ? Math.min(usage.cacheWrite(), usage.prompt() - cached) : 0;
        BigDecimal[] prices = {
            pricing.prompt(),
            pricing.inputCacheRead(),
            pricing.inputCacheWrite(),
            pricing.completion(),
            pricing.request()
        };
        long[] counts = {usage.prompt() - cached - written, cached, written, usage.completion(), 1};
        int scale = 0;
        for (BigDecimal price : prices) {
            scale = Math.max(scale, price.scale());
        }
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < prices.length; i++) {
            BigInteger atScale = prices[i].unscaledValue().multiply(BigInteger.TEN.pow(scale - prices[i].scale()));
            sum = sum.add(atScale.multiply(BigInteger.valueOf(counts[i])));
        }
        return new BigDecimal(sum, scale);
    }

    /** A price such as 0.000000375 spelled as a catalog would: a few significant digits, small scale. */
    private static BigDecimal randomPrice(Random random) {
        long digits = 1L + random.nextInt(random.nextBoolean() ? 10 : 100_000);
        int scale = random.nextInt(13);
        return new BigDecimal(BigInteger.valueOf(digits), scale);
    }

    private static long randomTokens(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(100);
            case 2 -> random.nextInt(200_000);
            default -> (long) (random.nextDouble() * 5_000_000_000L);
        };
    }
}
