package dev.switchboard.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowCounterTest {
    private final WindowCounter counter = new WindowCounter();

    @Test
    void countsUpToTheLimitWithinAWindow() {
        assertThat(counter.take(7, 2)).isTrue();
        assertThat(counter.take(7, 2)).isTrue();
        assertThat(counter.take(7, 2)).isFalse();
        assertThat(counter.used(7)).isEqualTo(2);
    }

    @Test
    void startsOverInTheNextWindow() {
        counter.take(7, 1);

        assertThat(counter.used(8)).isZero();
        assertThat(counter.take(8, 1)).isTrue();
        assertThat(counter.take(8, 1)).isFalse();
    }

    @Test
    void givesBackOnlyWithinTheSameWindow() {
        counter.take(7, 1);
        counter.giveBack(7);
        assertThat(counter.take(7, 1)).isTrue();

        counter.giveBack(8);
        assertThat(counter.used(7)).isEqualTo(1);
    }

    @Test
    void handlesWindowNumbersOfMinutesSinceTheEpoch() {
        long minute = 4_102_444_800_000L / 60_000; // 2100-01-01

        assertThat(counter.take(minute, 20)).isTrue();
        assertThat(counter.used(minute)).isEqualTo(1);
    }
}
