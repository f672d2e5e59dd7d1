package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    @Test
    void defaultsToAnEphemeralLoopbackPortAndSixteenInstantTokens() {
        assertThat(SimulatorOptions.defaults())
                .isEqualTo(new SimulatorOptions("127.0.0.1", 0, 42, Duration.ZERO, 0, 16));
    }

    @Test
    void replacesOneFieldPerWither() {
        SimulatorOptions options = SimulatorOptions.defaults()
                .withHost("0.0.0.0")
                .withPort(18080)
                .withSeed(7)
                .withDefaultTimeToFirstToken(Duration.ofMillis(5))
                .withDefaultTokensPerSecond(30)
                .withDefaultOutputTokens(3);

        assertThat(options).isEqualTo(new SimulatorOptions("0.0.0.0", 18080, 7, Duration.ofMillis(5), 30, 3));
    }

    @Test
    void rejectsImpossibleSettings() {
        SimulatorOptions defaults = SimulatorOptions.defaults();

        assertThatThrownBy(() -> defaults.withPort(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withHost(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withDefaultTokensPerSecond(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withDefaultOutputTokens(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withDefaultTimeToFirstToken(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
