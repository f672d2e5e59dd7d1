package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyAuthBenchmarkTest {
    @Test
    void authenticatesTheBenchKeyAmongAThousand() {
        KeyAuthBenchmark benchmark = new KeyAuthBenchmark();
        benchmark.registerKeys();
        assertThat(benchmark.authenticate().name()).isEqualTo("bench");
        assertThat(benchmark.hash()).isEqualTo(benchmark.authenticate().hash());
    }
}
