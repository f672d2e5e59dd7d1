package dev.switchboard.core.routing.health;

/**
 * What live traffic says about each endpoint: uptime, time to first token, throughput, recent outages
 * and a circuit breaker. The request path reports every attempt's outcome; the planner reads a
 * {@link HealthSnapshot} per endpoint on every request.
 *
 * <p>Design note. This is the seam a multi-node deployment backs with a shared store: one node's view
 * is {@link LocalEndpointHealth}, in memory. Implementations must make {@link #snapshot} cheap (the
 * planner calls it for every endpoint of every model it considers) and must never block the request
 * path on I/O.
 */
public interface EndpointHealth {
    /** What is known of {@code endpoint} now; {@link HealthSnapshot#UNKNOWN} before any traffic. */
    HealthSnapshot snapshot(EndpointKey endpoint);

    /** One attempt against {@code endpoint} ended so. */
    void record(EndpointKey endpoint, AttemptOutcome outcome);

    /**
     * Whether this request may be the probe of an endpoint whose circuit is half-open. True for one
     * caller at a time until that probe's outcome is recorded.
     */
    boolean tryProbe(EndpointKey endpoint);

    /** No health at all: every endpoint looks healthy and unmeasured. For tests and tools. */
    EndpointHealth NONE = new EndpointHealth() {
        @Override
        public HealthSnapshot snapshot(EndpointKey endpoint) {
            return HealthSnapshot.UNKNOWN;
        }

        @Override
        public void record(EndpointKey endpoint, AttemptOutcome outcome) {}

        @Override
        public boolean tryProbe(EndpointKey endpoint) {
            return false;
        }
    };
}
