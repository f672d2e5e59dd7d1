package dev.switchboard.core.routing.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalEndpointHealthTest {
    private static final long SECOND = 1_000_000_000L;
    private static final EndpointKey KEY = new EndpointKey("acme/chat", "cheap");

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final LocalEndpointHealth health = new LocalEndpointHealth(now::get);

    private void advance(long seconds) {
        now.addAndGet(seconds * SECOND);
    }

    private void times(int n, AttemptOutcome outcome) {
        for (int i = 0; i < n; i++) {
            health.record(KEY, outcome);
        }
    }

    @Test
    void anEndpointWithoutTrafficIsUnknown() {
        assertThat(health.snapshot(KEY)).isEqualTo(HealthSnapshot.UNKNOWN);
    }

    @Test
    void uptimeCountsSuccessesAndFailuresButNotRateLimitsOrRefusals() {
        times(3, AttemptOutcome.success(100, 50));
        times(1, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        times(5, AttemptOutcome.of(AttemptOutcome.Kind.RATE_LIMITED));
        times(5, AttemptOutcome.of(AttemptOutcome.Kind.NEUTRAL));

        HealthSnapshot snapshot = health.snapshot(KEY);
        assertThat(snapshot.uptime5m().getAsDouble()).isEqualTo(75.0);
        assertThat(snapshot.uptime30m().getAsDouble()).isEqualTo(75.0);
        assertThat(snapshot.uptime1d().getAsDouble()).isEqualTo(75.0);
    }

    @Test
    void uptimeWindowsForgetOldAttempts() {
        times(1, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        advance(10 * 60);
        times(1, AttemptOutcome.success(100, 50));

        HealthSnapshot snapshot = health.snapshot(KEY);
        assertThat(snapshot.uptime5m().getAsDouble()).isEqualTo(100.0);
        assertThat(snapshot.uptime30m().getAsDouble()).isEqualTo(50.0);
        advance(25 * 60);
        assertThat(health.snapshot(KEY).uptime30m().getAsDouble()).isEqualTo(100.0);
        assertThat(health.snapshot(KEY).uptime1d().getAsDouble()).isEqualTo(50.0);
    }

    @Test
    void aRunOfFailuresIsAnOutageForThirtySeconds() {
        times(2, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        assertThat(health.snapshot(KEY).recentOutage())
                .as("two failures are not significant")
                .isFalse();
        times(1, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        assertThat(health.snapshot(KEY).recentOutage()).isTrue();
        advance(31);
        assertThat(health.snapshot(KEY).recentOutage()).isFalse();
    }

    @Test
    void failuresAmongManySuccessesAreNoOutage() {
        times(20, AttemptOutcome.success(100, 50));
        times(4, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        assertThat(health.snapshot(KEY).recentOutage()).isFalse();
    }

    @Test
    void fiveFailuresInARowOpenTheCircuitWhichHalfOpensForOneProbe() {
        times(4, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        assertThat(health.snapshot(KEY).circuit()).isEqualTo(HealthSnapshot.Circuit.CLOSED);
        times(1, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        assertThat(health.snapshot(KEY).circuit()).isEqualTo(HealthSnapshot.Circuit.OPEN);
        assertThat(health.tryProbe(KEY)).isFalse();

        advance(30);
        assertThat(health.snapshot(KEY).circuit()).isEqualTo(HealthSnapshot.Circuit.HALF_OPEN);
        assertThat(health.tryProbe(KEY)).isTrue();
        assertThat(health.tryProbe(KEY)).as("one probe at a time").isFalse();
        assertThat(health.snapshot(KEY).circuit()).isEqualTo(HealthSnapshot.Circuit.OPEN);

        health.record(KEY, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        assertThat(health.snapshot(KEY).circuit()).as("a failed probe reopens").isEqualTo(HealthSnapshot.Circuit.OPEN);
        advance(30);
        assertThat(health.tryProbe(KEY)).isTrue();
        health.record(KEY, AttemptOutcome.success(100, 50));
        assertThat(health.snapshot(KEY).circuit()).isEqualTo(HealthSnapshot.Circuit.CLOSED);
    }

    @Test
    void aProbeThatNeverReportsIsGivenUp() {
        times(5, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        advance(30);
        assertThat(health.tryProbe(KEY)).isTrue();
        advance(61);
        assertThat(health.tryProbe(KEY)).isTrue();
    }

    @Test
    void latencyAndThroughputPercentilesOverTheWindow() {
        for (int i = 1; i <= 100; i++) {
            health.record(KEY, AttemptOutcome.success(i * 10L, i));
        }
        HealthSnapshot snapshot = health.snapshot(KEY);
        Percentiles latency = snapshot.latency().orElseThrow();
        assertThat(latency.p50()).isCloseTo(0.5, within(1e-9));
        assertThat(latency.p90()).isCloseTo(0.9, within(1e-9));
        assertThat(latency.p99()).isCloseTo(0.99, within(1e-9));
        Percentiles throughput = snapshot.throughput().orElseThrow();
        assertThat(throughput.p50()).isEqualTo(50.0);
        assertThat(throughput.p90()).as("the rate 90% of attempts reached").isEqualTo(10.0);

        advance(6 * 60);
        HealthSnapshot later = health.snapshot(KEY);
        assertThat(later.latency()).as("outside the 5-minute routing window").isEmpty();
        assertThat(later.latency30m()).isPresent();
    }

    @Test
    void snapshotsAreCachedForASecondButOutagesAreSeenAtOnce() {
        times(1, AttemptOutcome.success(100, 50));
        HealthSnapshot first = health.snapshot(KEY);
        times(3, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        HealthSnapshot second = health.snapshot(KEY);
        assertThat(second.recentOutage()).isTrue();
        assertThat(second.uptime5m()).isEqualTo(first.uptime5m()); // recomputed after a second at most
        advance(1);
        assertThat(health.snapshot(KEY).uptime5m().getAsDouble()).isEqualTo(25.0);
    }

    @Test
    void theToolCallErrorRateCountsOnlyAttemptsThatSaySomethingOfToolCalling() {
        AttemptOutcome answered = AttemptOutcome.success(100, 50);
        times(3, answered.withToolUse(AttemptOutcome.ToolUse.OK));
        times(1, answered.withToolUse(AttemptOutcome.ToolUse.ERROR));
        times(20, answered);
        times(2, AttemptOutcome.rateLimited(java.util.Optional.empty()));

        assertThat(health.snapshot(KEY).toolCallErrors30m().getAsDouble()).isEqualTo(25.0);
        assertThat(health.snapshot(KEY).uptime30m().getAsDouble())
                .as("an answer with malformed arguments is still an answer")
                .isEqualTo(100.0);
    }

    @Test
    void theToolCallErrorRateForgetsAttemptsOlderThanThirtyMinutes() {
        times(1, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE).withToolUse(AttemptOutcome.ToolUse.ERROR));
        advance(10 * 60);
        times(1, AttemptOutcome.success(100, 50).withToolUse(AttemptOutcome.ToolUse.OK));
        assertThat(health.snapshot(KEY).toolCallErrors30m().getAsDouble()).isEqualTo(50.0);

        advance(25 * 60);
        assertThat(health.snapshot(KEY).toolCallErrors30m().getAsDouble()).isEqualTo(0.0);
        advance(10 * 60);
        assertThat(health.snapshot(KEY).toolCallErrors30m()).isEmpty();
    }
}
