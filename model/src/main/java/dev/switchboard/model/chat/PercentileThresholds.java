package dev.switchboard.model.chat;

import java.util.OptionalDouble;

/**
 * {@code preferred_min_throughput} or {@code preferred_max_latency}: a bound on some percentiles of an
 * endpoint's recent performance. A bare number in the request is {@code p50}. An endpoint meets the
 * preference only when it meets every bound given.
 */
public record PercentileThresholds(OptionalDouble p50, OptionalDouble p75, OptionalDouble p90, OptionalDouble p99) {
    public static PercentileThresholds p50(double value) {
        return new PercentileThresholds(
                OptionalDouble.of(value), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
    }

    public boolean isEmpty() {
        return p50.isEmpty() && p75.isEmpty() && p90.isEmpty() && p99.isEmpty();
    }
}
