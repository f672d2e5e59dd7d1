package dev.switchboard.core.accounting;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A key or a workspace crossed a share of what it may spend.
 *
 * @param subject     {@code key} or {@code workspace}
 * @param id          the key's hash or the workspace's id
 * @param percent     the share crossed: 50, 80 or 100
 * @param limit       the key's limit, or the workspace's credits
 * @param spent       what it had spent once the request that crossed settled
 * @param periodStart the start of the limit's period (the epoch for a lifetime limit or a workspace)
 * @param at          when the crossing request settled
 */
public record SpendAlert(
        String subject, String id, int percent, BigDecimal limit, BigDecimal spent, Instant periodStart, Instant at) {
    public SpendAlert {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(spent, "spent");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(at, "at");
    }
}
