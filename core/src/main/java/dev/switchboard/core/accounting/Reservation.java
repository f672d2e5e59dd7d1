package dev.switchboard.core.accounting;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What a request holds against its key's (and later its workspace's) spending room while it runs.
 *
 * @param id        unique per request; settling is idempotent by it
 * @param amount    the most the request can cost, in USD
 * @param expiresAt when the hold lapses by itself, should the request never settle (its process died)
 */
public record Reservation(String id, String keyHash, String workspaceId, BigDecimal amount, Instant expiresAt) {
    public Reservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("a reservation is never negative");
        }
    }
}
