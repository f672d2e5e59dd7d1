package dev.switchboard.model.chat;

import java.util.Objects;

/**
 * {@code provider.sort}: a strict order instead of load balancing.
 *
 * @param by        what to sort on
 * @param partition {@code MODEL} sorts inside each model of the {@code models} list, so the first
 *                  model's endpoints come first; {@code NONE} sorts the endpoints of every listed model
 *                  together
 */
public record RouteSort(By by, Partition partition) {
    public RouteSort {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(partition, "partition");
    }

    /** What an endpoint is ranked by. */
    public enum By {
        /** Cheapest first (prompt plus completion price per token). */
        PRICE,
        /** Most tokens per second first (p50 over the last 5 minutes). */
        THROUGHPUT,
        /** Shortest time to first token first (p50 over the last 5 minutes). */
        LATENCY,
        /**
         * Quality first ({@code :exacto}): endpoints without recent trouble, then the fewest tool-call
         * errors, the best uptime and the most throughput (the planner documents the exact order).
         */
        EXACTO
    }

    /** Whether the sort stays inside each model of the {@code models} list. */
    public enum Partition {
        MODEL,
        NONE
    }
}
