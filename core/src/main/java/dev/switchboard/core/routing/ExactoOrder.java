package dev.switchboard.core.routing;

import dev.switchboard.core.routing.health.HealthSnapshot;
import java.util.Comparator;

/**
 * The quality-first order of a model's endpoints for the {@code :exacto} variant and
 * {@code provider.sort: "exacto"}, from what live traffic measures.
 *
 * <p>Design note. OpenRouter ranks by tool-call success, throughput or latency, and benchmark results.
 * This gateway has no benchmark results of its own, so it ranks by its measurements alone, each key
 * deciding only among endpoints the previous keys found equal:
 * <ol>
 *   <li>endpoints without trouble now before those with some: a significant outage in the last 30
 *       seconds, an open or half-open circuit, or a 429 cool-down is trouble;</li>
 *   <li>the tool-call error rate over 30 minutes ({@link HealthSnapshot#toolCallErrors30m}), fewest
 *       first, in steps of {@value #ERROR_STEP} percentage points so that noise between two good
 *       endpoints does not decide; an endpoint that has had no request with tools counts as 0, since
 *       nothing is held against an endpoint for lack of traffic;</li>
 *   <li>uptime over 30 minutes, highest first, in steps of one percentage point; unmeasured counts as
 *       100;</li>
 *   <li>p50 throughput over 5 minutes, highest first; unmeasured endpoints after measured ones, as in
 *       the throughput sort;</li>
 *   <li>and (added by the planner) price, cheapest first.</li>
 * </ol>
 * The order is a total preorder (every key is a function of one endpoint), so sorting is stable and
 * deterministic. Cost: a few comparisons per pair, no allocation beyond the sort's.
 */
final class ExactoOrder {
    /** Tool-call error rates within the same step of this many percentage points are equal. */
    static final int ERROR_STEP = 5;

    static final Comparator<HealthSnapshot> QUALITY_FIRST = Comparator.comparing(ExactoOrder::troubled)
            .thenComparingLong(ExactoOrder::errorStep)
            .thenComparingLong(h -> -uptimeStep(h))
            .thenComparingDouble(ExactoOrder::throughputKey);

    private ExactoOrder() {}

    private static boolean troubled(HealthSnapshot health) {
        return health.unstable() || health.circuit() == HealthSnapshot.Circuit.HALF_OPEN;
    }

    private static long errorStep(HealthSnapshot health) {
        return (long) Math.floor(health.toolCallErrors30m().orElse(0) / ERROR_STEP);
    }

    private static long uptimeStep(HealthSnapshot health) {
        return (long) Math.floor(health.uptime30m().orElse(100));
    }

    /** Higher throughput sorts first; unmeasured last. */
    private static double throughputKey(HealthSnapshot health) {
        return health.throughput().map(p -> -p.p50()).orElse(Double.MAX_VALUE);
    }
}
