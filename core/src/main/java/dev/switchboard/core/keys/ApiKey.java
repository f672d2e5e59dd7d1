package dev.switchboard.core.keys;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored key. Only the SHA-256 of the secret is kept ({@code hash}, lowercase hex, which is also the
 * key's id in the API); {@code label} is a masked form safe to show.
 *
 * @param management management keys administer keys and read usage; they cannot call inference
 * @param workspaceId the workspace whose credits the key spends
 * @param spending    the key's own spend limit and expiry
 * @param rateLimit   the key's own request and token rates ({@link RateLimit#NONE}: none of its own)
 */
public record ApiKey(
        String hash,
        String name,
        String label,
        boolean disabled,
        boolean management,
        Instant createdAt,
        Instant updatedAt,
        String workspaceId,
        Spending spending,
        RateLimit rateLimit) {
    /** The workspace every key belongs to until workspaces can be created. */
    public static final String DEFAULT_WORKSPACE = "default";

    public ApiKey {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(spending, "spending");
        Objects.requireNonNull(rateLimit, "rateLimit");
    }

    /** A key without a rate limit of its own. */
    public ApiKey(
            String hash,
            String name,
            String label,
            boolean disabled,
            boolean management,
            Instant createdAt,
            Instant updatedAt,
            String workspaceId,
            Spending spending) {
        this(hash, name, label, disabled, management, createdAt, updatedAt, workspaceId, spending, RateLimit.NONE);
    }

    /** A key of the default workspace without a limit. */
    public ApiKey(
            String hash,
            String name,
            String label,
            boolean disabled,
            boolean management,
            Instant createdAt,
            Instant updatedAt) {
        this(hash, name, label, disabled, management, createdAt, updatedAt, DEFAULT_WORKSPACE, Spending.UNLIMITED);
    }

    public ApiKey withName(String newName, Instant now) {
        return new ApiKey(hash, newName, label, disabled, management, createdAt, now, workspaceId, spending, rateLimit);
    }

    public ApiKey withDisabled(boolean newDisabled, Instant now) {
        return new ApiKey(hash, name, label, newDisabled, management, createdAt, now, workspaceId, spending, rateLimit);
    }

    public ApiKey withSpending(Spending newSpending, Instant now) {
        return new ApiKey(hash, name, label, disabled, management, createdAt, now, workspaceId, newSpending, rateLimit);
    }

    public ApiKey withRateLimit(RateLimit newRateLimit, Instant now) {
        return new ApiKey(hash, name, label, disabled, management, createdAt, now, workspaceId, spending, newRateLimit);
    }

    /** Whether the key has expired at {@code now}. */
    public boolean expired(Instant now) {
        return spending.expiresAt().isPresent()
                && !now.isBefore(spending.expiresAt().get());
    }

    /**
     * What a key may spend.
     *
     * @param limit              USD the key may spend (per period, with a reset); empty: no limit of its own
     * @param reset              when the limit starts over; empty: it never does
     * @param includeByokInLimit whether spend on the workspace's own provider keys counts against the limit
     * @param expiresAt          when the key stops working
     */
    public record Spending(
            Optional<BigDecimal> limit,
            Optional<LimitReset> reset,
            boolean includeByokInLimit,
            Optional<Instant> expiresAt) {
        public static final Spending UNLIMITED =
                new Spending(Optional.empty(), Optional.empty(), false, Optional.empty());

        public Spending {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(reset, "reset");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (limit.isPresent() && limit.get().signum() < 0) {
                throw new IllegalArgumentException("a limit is never negative");
            }
        }
    }
}
