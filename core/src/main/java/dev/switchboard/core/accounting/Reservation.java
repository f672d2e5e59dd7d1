package dev.switchboard.core.accounting;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What a request holds against its key's (and later its workspace's) spending room while it runs.
 *
 * @param id        unique per request; settling is idempotent by it
 * @param amount    the most the request can cost the workspace's credits, in USD
 * @param keyAmount the most it can add to its key's spend, in USD: more than {@code amount} when a BYOK
 *                  attempt's list price counts against the key's limit ({@code include_byok_in_limit})
 * @param expiresAt when the hold lapses by itself, should the request never settle (its process died)
 */
public record Reservation(
        String id, String keyHash, String workspaceId, BigDecimal amount, BigDecimal keyAmount, Instant expiresAt) {
    public Reservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(keyAmount, "keyAmount");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (amount.signum() < 0 || keyAmount.signum() < 0) {
            throw new IllegalArgumentException("a reservation is never negative");
        }
    }

    /** A reservation that holds the same against the credits and the key. */
    public Reservation(String id, String keyHash, String workspaceId, BigDecimal amount, Instant expiresAt) {
        this(id, keyHash, workspaceId, amount, amount, expiresAt);
    }
}
