package dev.switchboard.core.report;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a set of generation records adds up to in {@code GET /activity}: spend in USD (exact decimals)
 * and counts.
 *
 * @param usage     what the records cost the workspace's credits
 * @param byokUsage what providers charged the workspace's own keys (BYOK); zero until BYOK exists
 */
public record ActivityCounts(
        BigDecimal usage,
        BigDecimal byokUsage,
        long requests,
        long promptTokens,
        long completionTokens,
        long reasoningTokens) {
    public static final ActivityCounts ZERO = new ActivityCounts(BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, 0, 0);

    public ActivityCounts {
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(byokUsage, "byokUsage");
    }

    /** Both added, field by field. */
    public ActivityCounts plus(ActivityCounts other) {
        return new ActivityCounts(
                usage.add(other.usage),
                byokUsage.add(other.byokUsage),
                requests + other.requests,
                promptTokens + other.promptTokens,
                completionTokens + other.completionTokens,
                reasoningTokens + other.reasoningTokens);
    }
}
