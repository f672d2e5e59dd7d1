package dev.switchboard.core.storage;

import dev.switchboard.core.accounting.CreditEntry;
import java.math.BigDecimal;
import java.util.List;

/**
 * The durable side of workspace credits: the ledger's non-usage entries, and the sums credits are derived
 * from. Usage is not appended here: each generation record is its request's debit, and the store keeps
 * each key's spend (and so each workspace's) up to date in the transaction that stores the record.
 * Thread-safe; failures are thrown as {@link StorageException}.
 */
public interface CreditStore {
    /**
     * Appends an entry, atomically and idempotently.
     *
     * @return true when it was added; false when an identical entry (same id, workspace, kind and amount)
     *         was already there
     * @throws IllegalArgumentException when another entry already has its id
     */
    boolean append(CreditEntry entry);

    /** The sum of the workspace's entries: what it was granted, refunded and charged in fees. */
    BigDecimal credits(String workspaceId);

    /**
     * What the workspace was granted in all: the sum of its {@link CreditEntry.Kind#GRANT} entries (refunds,
     * fees and adjustments left out). It only ever grows.
     */
    BigDecimal granted(String workspaceId);

    /** The workspace's stored usage: the cost of every generation record of its keys. */
    BigDecimal usage(String workspaceId);

    /** The workspace's entries, newest first, from {@code offset}, at most {@code limit}. */
    List<CreditEntry> entries(String workspaceId, int offset, int limit);
}
