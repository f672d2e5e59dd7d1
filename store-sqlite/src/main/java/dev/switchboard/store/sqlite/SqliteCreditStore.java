package dev.switchboard.store.sqlite;

import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.storage.CreditStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link CreditStore} over the {@code credit_entries} table and the {@code workspace_id} of each key's
 * lifetime totals. Sums are made in Java over exact decimal text (see {@link KeyUsageTotals} for why),
 * so reading a workspace's credits reads each of its entries: they are grants, refunds and fees, a
 * handful per workspace, and the gateway caches the result. Failures are classified by
 * {@link SqliteFailures}.
 */
final class SqliteCreditStore implements CreditStore {
    private static final String INSERT = "INSERT INTO credit_entries (id, workspace_id, kind, amount, created_at, note)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
    private static final String EXISTING = "SELECT workspace_id, kind, amount FROM credit_entries WHERE id = ?";
    private final DataSource dataSource;
    private final SqliteFailures failures;

    SqliteCreditStore(DataSource dataSource, SqliteFailures failures) {
        this.dataSource = dataSource;
        this.failures = failures;
    }

    @Override
    public boolean append(CreditEntry entry) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setString(1, entry.id());
            insert.setString(2, entry.workspaceId());
            insert.setString(3, entry.kind().wireName());
            insert.setString(4, entry.amount().toPlainString());
            insert.setString(5, entry.createdAt().toString());
            insert.setString(6, entry.note());
            if (insert.executeUpdate() == 1) {
                return true;
            }
            if (!sameAsStored(c, entry)) {
                throw new IllegalArgumentException("another credit entry has the id " + entry.id());
            }
            return false;
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    private static boolean sameAsStored(Connection c, CreditEntry entry) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EXISTING)) {
            ps.setString(1, entry.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        && rs.getString(1).equals(entry.workspaceId())
                        && rs.getString(2).equals(entry.kind().wireName())
                        && new BigDecimal(rs.getString(3)).compareTo(entry.amount()) == 0;
            }
        }
    }

    @Override
    public BigDecimal credits(String workspaceId) {
        return sum("SELECT amount FROM credit_entries WHERE workspace_id = ?", workspaceId);
    }

    @Override
    public BigDecimal granted(String workspaceId) {
        return sum("SELECT amount FROM credit_entries WHERE workspace_id = ? AND kind = 'grant'", workspaceId);
    }

    @Override
    public BigDecimal usage(String workspaceId) {
        return sum("SELECT cost_total FROM key_usage_lifetime WHERE workspace_id = ?", workspaceId);
    }

    private BigDecimal sum(String sql, String workspaceId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, workspaceId);
            BigDecimal total = BigDecimal.ZERO;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    total = total.add(new BigDecimal(rs.getString(1)));
                }
            }
            return total;
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public List<CreditEntry> entries(String workspaceId, int offset, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, kind, amount, created_at, note FROM credit_entries WHERE workspace_id = ?"
                                + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
            ps.setString(1, workspaceId);
            ps.setInt(2, limit);
            ps.setInt(3, offset);
            List<CreditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Optional<CreditEntry.Kind> kind = CreditEntry.Kind.parse(rs.getString(2));
                    out.add(new CreditEntry(
                            rs.getString(1),
                            workspaceId,
                            kind.orElseThrow(),
                            new BigDecimal(rs.getString(3)),
                            Instant.parse(rs.getString(4)),
                            rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }
}
