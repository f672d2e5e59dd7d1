package dev.switchboard.core.storage;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable generation records. Thread-safe. Failures are thrown as {@link StorageException}. */
public interface GenerationStore {
    /** Writes all records in one transaction: all or none. Ids already stored are left as they are. */
    void insertAll(List<GenerationRecord> records);

    Optional<GenerationRecord> find(String id);

    /** Cost sums of one key since each of the given instants (UTC day, ISO week, month starts). */
    UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart);
}
