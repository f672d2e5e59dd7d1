package dev.switchboard.core.routing.health;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What routing knows of one endpoint at one moment.
 *
 * @param recentOutage    a significant outage in the last 30 seconds: placed after stable endpoints
 * @param coolingDown     the provider answered 429 with a {@code Retry-After} that has not passed yet
 * @param circuit         the circuit breaker's state
 * @param uptime5m        percentage of counted attempts that succeeded in the last 5 minutes
 * @param uptime30m       the same over 30 minutes
 * @param uptime1d        the same over a day
 * @param latency         seconds to the first token, over the last 5 minutes (routing)
 * @param throughput      tokens per second, over the last 5 minutes (routing)
 * @param latency30m      seconds to the first token, over the last 30 minutes (published)
 * @param throughput30m   tokens per second, over the last 30 minutes (published)
 * @param toolCallErrors30m percentage of the attempts with tools in the last 30 minutes that were tool-call
 *                        errors ({@link AttemptOutcome.ToolUse#ERROR}); empty before any such attempt
 */
public record HealthSnapshot(
        boolean recentOutage,
        boolean coolingDown,
        Circuit circuit,
        OptionalDouble uptime5m,
        OptionalDouble uptime30m,
        OptionalDouble uptime1d,
        Optional<Percentiles> latency,
        Optional<Percentiles> throughput,
        Optional<Percentiles> latency30m,
        Optional<Percentiles> throughput30m,
        OptionalDouble toolCallErrors30m) {
    public static final HealthSnapshot UNKNOWN = new HealthSnapshot(
            false,
            false,
            Circuit.CLOSED,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    public HealthSnapshot {
        Objects.requireNonNull(circuit, "circuit");
        Objects.requireNonNull(toolCallErrors30m, "toolCallErrors30m");
    }

    /** A snapshot without tool-call measurements. */
    public HealthSnapshot(
            boolean recentOutage,
            boolean coolingDown,
            Circuit circuit,
            OptionalDouble uptime5m,
            OptionalDouble uptime30m,
            OptionalDouble uptime1d,
            Optional<Percentiles> latency,
            Optional<Percentiles> throughput,
            Optional<Percentiles> latency30m,
            Optional<Percentiles> throughput30m) {
        this(
                recentOutage,
                coolingDown,
                circuit,
                uptime5m,
                uptime30m,
                uptime1d,
                latency,
                throughput,
                latency30m,
                throughput30m,
                OptionalDouble.empty());
    }

    /** The circuit breaker of an endpoint. */
    public enum Circuit {
        /** Traffic flows. */
        CLOSED,
        /** Too many failures in a row: the endpoint is tried only after every other. */
        OPEN,
        /** The cool-down is over: one request may probe it; its outcome closes or reopens the circuit. */
        HALF_OPEN
    }

    /** Whether the planner should place this endpoint after the stable ones. */
    public boolean unstable() {
        return recentOutage || coolingDown || circuit == Circuit.OPEN;
    }
}
