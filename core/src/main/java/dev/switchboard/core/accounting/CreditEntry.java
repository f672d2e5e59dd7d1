package dev.switchboard.core.accounting;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a workspace's credit ledger, other than usage (each generation record is the usage
 * debit of its request). Entries are only ever appended, and are idempotent by {@code id}: appending the
 * same entry twice books it once.
 *
 * @param amount USD, exact: positive for grants and refunds, negative for fees; an adjustment may be either
 */
public record CreditEntry(String id, String workspaceId, Kind kind, BigDecimal amount, Instant createdAt, String note) {
    /** Longest accepted id and note. */
    public static final int MAX_ID = 128;

    public static final int MAX_NOTE = 512;

    public CreditEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(note, "note");
        if (id.isEmpty() || id.length() > MAX_ID || note.length() > MAX_NOTE) {
            throw new IllegalArgumentException("id or note of the wrong length");
        }
        BigDecimal exact = amount.stripTrailingZeros();
        if (exact.scale() > 18 || exact.precision() - exact.scale() > 15) {
            throw new IllegalArgumentException("an amount of more than 18 decimal places or 15 whole digits");
        }
        boolean signOk = switch (kind) {
            case GRANT, REFUND -> amount.signum() > 0;
            case FEE -> amount.signum() < 0;
            case ADJUSTMENT -> amount.signum() != 0;
        };
        if (!signOk) {
            throw new IllegalArgumentException(kind.wireName() + " of the wrong sign: " + amount.toPlainString());
        }
    }

    /** What an entry is. */
    public enum Kind {
        GRANT("grant"),
        REFUND("refund"),
        FEE("fee"),
        ADJUSTMENT("adjustment");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Kind> parse(String wireName) {
            return Arrays.stream(values())
                    .filter(k -> k.wireName.equals(wireName))
                    .findFirst();
        }
    }
}
