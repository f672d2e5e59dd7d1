package dev.switchboard.bench;

import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.storage.CreditStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A credit ledger in memory, for benchmarks that measure the request path without a database. */
final class MemoryCreditStore implements CreditStore {
    private final List<CreditEntry> entries = new ArrayList<>();

    @Override
    public synchronized boolean append(CreditEntry entry) {
        if (entries.stream().anyMatch(e -> e.id().equals(entry.id()))) {
            return false;
        }
        return entries.add(entry);
    }

    @Override
    public synchronized BigDecimal credits(String workspaceId) {
        return entries.stream()
                .filter(e -> e.workspaceId().equals(workspaceId))
                .map(CreditEntry::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    public synchronized BigDecimal granted(String workspaceId) {
        return entries.stream()
                .filter(e -> e.workspaceId().equals(workspaceId) && e.kind() == CreditEntry.Kind.GRANT)
                .map(CreditEntry::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    public BigDecimal usage(String workspaceId) {
        return BigDecimal.ZERO;
    }

    @Override
    public synchronized List<CreditEntry> entries(String workspaceId, int offset, int limit) {
        return entries.stream()
                .filter(e -> e.workspaceId().equals(workspaceId))
                .skip(offset)
                .limit(limit)
                .toList();
    }
}
