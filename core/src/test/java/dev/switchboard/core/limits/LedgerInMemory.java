package dev.switchboard.core.limits;

import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.storage.CreditStore;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A credit ledger in memory that counts how often its grants are read; SQLite's is tested in store-sqlite. */
final class LedgerInMemory implements CreditStore {
    private final List<CreditEntry> entries = new CopyOnWriteArrayList<>();
    final AtomicInteger grantReads = new AtomicInteger();

    @Override
    public boolean append(CreditEntry entry) {
        return entries.add(entry);
    }

    @Override
    public BigDecimal credits(String workspaceId) {
        return sum(workspaceId, null);
    }

    @Override
    public BigDecimal granted(String workspaceId) {
        grantReads.incrementAndGet();
        return sum(workspaceId, CreditEntry.Kind.GRANT);
    }

    @Override
    public BigDecimal usage(String workspaceId) {
        return BigDecimal.ZERO;
    }

    @Override
    public List<CreditEntry> entries(String workspaceId, int offset, int limit) {
        return entries.stream()
                .filter(e -> e.workspaceId().equals(workspaceId))
                .skip(offset)
                .limit(limit)
                .toList();
    }

    private BigDecimal sum(String workspaceId, CreditEntry.Kind kind) {
        return entries.stream()
                .filter(e -> e.workspaceId().equals(workspaceId) && (kind == null || e.kind() == kind))
                .map(CreditEntry::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
