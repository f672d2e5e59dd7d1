package dev.switchboard.store.sqlite;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.storage.GenerationStore;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link GenerationStore} over the {@code generations} table. Costs are stored as exact decimal text;
 * sums are computed in Java with {@link BigDecimal}, never with SQLite's floating-point {@code SUM}.
 * Failures are classified by {@link SqliteFailures}; a failed write keeps its first exception (see there
 * for why). Before each write it runs a check of the database file (a stat), so that a file deleted under
 * the gateway is noticed as soon as records are stored.
 */
final class SqliteGenerationStore implements GenerationStore {
    private static final String COLUMNS = "id, created_at, key_hash, model, provider_slug, provider_name, upstream_id, "
            + "streamed, cancelled, finish_reason, native_finish_reason, tokens_prompt, tokens_completion, tokens_cached, "
            + "tokens_reasoning, cost, latency_ms, generation_ms, ttft_ms, http_referer, app_title, end_user, status, "
            + "error_type, usage_estimated";
    private static final String INSERT = "INSERT OR IGNORE INTO generations (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private final DataSource dataSource;
    private final SqliteFailures failures;
    private final Runnable beforeWrite;

    /** @param beforeWrite run before each write; the file check, which must be cheap and must not throw */
    SqliteGenerationStore(DataSource dataSource, SqliteFailures failures, Runnable beforeWrite) {
        this.dataSource = dataSource;
        this.failures = failures;
        this.beforeWrite = beforeWrite;
    }

    @Override
    public void insertAll(List<GenerationRecord> records) {
        beforeWrite.run();
        try (Connection c = dataSource.getConnection()) {
            inTransaction(c, records);
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    /**
     * Inserts in one transaction. When a statement or the commit fails, that failure is the one thrown;
     * the rollback and the return to auto-commit that follow often fail too (SQLite has already rolled
     * back after a full disk), and their failures are attached to it as suppressed.
     */
    private static void inTransaction(Connection c, List<GenerationRecord> records) throws SQLException {
        c.setAutoCommit(false);
        SQLException failure = null;
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (GenerationRecord r : records) {
                bind(ps, r);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            failure = e;
            try {
                c.rollback();
            } catch (SQLException rollback) {
                failure.addSuppressed(rollback);
            }
        }
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Optional<GenerationRecord> find(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM generations WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal daily = BigDecimal.ZERO;
        BigDecimal weekly = BigDecimal.ZERO;
        BigDecimal monthly = BigDecimal.ZERO;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT created_at, cost FROM generations WHERE key_hash = ? AND cost <> '0'")) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // compared as instants: the stored text has a variable number of fraction digits, so
                    // "...T00:00:00.5Z" sorts before "...T00:00:00Z" as a string
                    Instant at = Instant.parse(rs.getString(1));
                    BigDecimal cost = new BigDecimal(rs.getString(2));
                    total = total.add(cost);
                    daily = at.isBefore(dayStart) ? daily : daily.add(cost);
                    weekly = at.isBefore(weekStart) ? weekly : weekly.add(cost);
                    monthly = at.isBefore(monthStart) ? monthly : monthly.add(cost);
                }
            }
        } catch (SQLException e) {
            throw failures.classify(e);
        }
        return new UsageTotals(total, daily, weekly, monthly);
    }

    private static void bind(PreparedStatement ps, GenerationRecord r) throws SQLException {
        int i = 1;
        ps.setString(i++, r.id());
        ps.setString(i++, r.createdAt().toString());
        ps.setString(i++, r.keyHash());
        ps.setString(i++, r.model());
        ps.setString(i++, r.providerSlug());
        ps.setString(i++, r.providerName());
        ps.setString(i++, r.upstreamId());
        ps.setInt(i++, r.streamed() ? 1 : 0);
        ps.setInt(i++, r.cancelled() ? 1 : 0);
        ps.setString(i++, r.finishReason());
        ps.setString(i++, r.nativeFinishReason());
        ps.setLong(i++, r.tokensPrompt());
        ps.setLong(i++, r.tokensCompletion());
        ps.setLong(i++, r.tokensCached());
        ps.setLong(i++, r.tokensReasoning());
        ps.setString(i++, r.cost().toPlainString());
        ps.setLong(i++, r.latencyMs());
        ps.setLong(i++, r.generationMs());
        ps.setLong(i++, r.ttftMs());
        ps.setString(i++, r.httpReferer().orElse(null));
        ps.setString(i++, r.appTitle().orElse(null));
        ps.setString(i++, r.user().orElse(null));
        ps.setInt(i++, r.status());
        ps.setString(i++, r.errorType().orElse(null));
        ps.setInt(i, r.usageEstimated() ? 1 : 0);
    }

    private static GenerationRecord read(ResultSet rs) throws SQLException {
        return new GenerationRecord(rs.getString(1), Instant.parse(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8) == 1, rs.getInt(9) == 1,
                rs.getString(10), rs.getString(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15),
                new BigDecimal(rs.getString(16)), rs.getLong(17), rs.getLong(18), rs.getLong(19),
                Optional.ofNullable(rs.getString(20)), Optional.ofNullable(rs.getString(21)),
                Optional.ofNullable(rs.getString(22)), rs.getInt(23), Optional.ofNullable(rs.getString(24)),
                rs.getInt(25) == 1);
    }
}
