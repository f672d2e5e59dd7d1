package dev.switchboard.core.storage;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable generation records, and each key's spend kept up with them. Thread-safe. Failures are thrown
 * as {@link StorageException}.
 */
public interface GenerationStore {
    /**
     * Writes all records in one transaction: all or none. Ids already stored, and repeats of an id
     * within the batch, are left as they were and not counted again. The same transaction adds the
     * records it stores to their keys' usage totals, so {@link #usage} never sees a record without its
     * cost or a cost without its record.
     */
    void insertAll(List<GenerationRecord> records);

    Optional<GenerationRecord> find(String id);

    /**
     * Exact cost sums of one key over its lifetime and since each of the given instants, which are the
     * starts of the current UTC day, week (a Monday) and month. A record counts in a period when it was
     * created at or after the period's start. The cost of this call does not grow with the number of
     * records the key has made.
     *
     * @throws IllegalArgumentException when an instant is not a UTC midnight
     */
    UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart);

    /**
     * Like {@link #usage}, of what the key's BYOK requests cost at list price (their
     * {@link GenerationRecord#byokCost()}, billed by the provider to the workspace's own key): the key's
     * {@code byok_usage}, and what counts against its limit when it includes BYOK.
     */
    UsageTotals byokUsage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart);
}
