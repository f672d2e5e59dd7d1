package dev.switchboard.bench;

import dev.switchboard.core.accounting.Cost;
import dev.switchboard.core.accounting.CostCalculator;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.model.response.TokenUsage;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact decimal cost of one generation: {@code plain} is prompt and completion prices only (the bench
 * model's), {@code cached} adds a cache-read price, a cache-write price and a per-request price with
 * usage that touches all of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class CostBenchmark {
    private final Pricing plainPricing = Pricing.of("0.00000015", "0.0000006");
    private final Pricing cachedPricing = new Pricing(
            new BigDecimal("0.000003"),
            new BigDecimal("0.000015"),
            new BigDecimal("0.001"),
            new BigDecimal("0.0000003"),
            new BigDecimal("0.00000375"),
            BigDecimal.ZERO);
    private final TokenUsage plainUsage = new TokenUsage(25, 42, 0, 0, 0);
    private final TokenUsage cachedUsage = new TokenUsage(1_200, 350, 1_024, 100, 64);

    @Benchmark
    public Cost plain() {
        return CostCalculator.cost(plainPricing, plainUsage);
    }

    @Benchmark
    public Cost cached() {
        return CostCalculator.cost(cachedPricing, cachedUsage);
    }
}
