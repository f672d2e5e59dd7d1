package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The limiter benchmark admits every time, over many minutes of its clock: it measures admission, not refusal. */
class LimiterBenchmarkTest {
    private final LimiterBenchmark benchmark = new LimiterBenchmark();

    @Test
    void everyScenarioAdmitsTheWholePlanRepeatedly() {
        benchmark.build();

        for (int i = 0; i < 100_000; i++) {
            assertThat(benchmark.unlimited().size()).isEqualTo(5);
            assertThat(benchmark.requestRates().size()).isEqualTo(5);
            assertThat(benchmark.requestAndTokenRates().size()).isEqualTo(5);
        }
    }
}
