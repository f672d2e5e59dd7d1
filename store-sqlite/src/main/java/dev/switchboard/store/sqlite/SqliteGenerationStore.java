package dev.switchboard.store.sqlite;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.storage.GenerationStore;
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
import org.jspecify.annotations.Nullable;

/**
 * {@link GenerationStore} over the {@code generations} table, with each key's spend kept in the
 * {@link KeyUsageTotals} tables, and the reports' aggregates in those of {@link ActivityTotals} and
 * {@link AppTotals}, by the same transaction that stores the records. Costs are stored as
 * exact decimal text; sums are computed in Java with {@link BigDecimal}, never with SQLite's
 * floating-point {@code SUM}. Failures are classified by {@link SqliteFailures}; a failed write keeps its
 * first exception (see there for why). Before each write it runs a check of the database file (a stat),
 * so that a file deleted under the gateway is noticed as soon as records are stored.
 */
final class SqliteGenerationStore implements GenerationStore {
    private static final String COLUMNS = "id, created_at, key_hash, model, provider_slug, provider_name, upstream_id, "
            + "streamed, cancelled, finish_reason, native_finish_reason, tokens_prompt, tokens_completion, tokens_cached, "
            + "tokens_reasoning, cost, latency_ms, generation_ms, ttft_ms, http_referer, app_title, end_user, status, "
            + "error_type, usage_estimated, provider_responses, preset_id, workspace_id, app_categories, is_byok, "
            + "upstream_inference_cost, cache_discount";
    private static final String INSERT =
            "INSERT OR IGNORE INTO generations (" + COLUMNS + ") VALUES (?" + ", ?".repeat(31) + ")";
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
     * Inserts in one transaction, and adds the records that were new to their keys' totals and to the
     * reports' aggregates in it. The {@code INSERT} comes first, so the transaction holds the write lock
     * before the totals are read and rewritten. When a statement or the commit fails, that failure is the one thrown; the rollback and
     * the return to auto-commit that follow often fail too (SQLite has already rolled back after a full
     * disk), and their failures are attached to it as suppressed.
     */
    private static void inTransaction(Connection c, List<GenerationRecord> records) throws SQLException {
        c.setAutoCommit(false);
        SQLException failure = null;
        try {
            addToTotals(c, insertNew(c, records));
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

    /** Inserts the records; returns those not already stored (one row changed). */
    private static List<GenerationRecord> insertNew(Connection c, List<GenerationRecord> records) throws SQLException {
        List<GenerationRecord> added = new ArrayList<>(records.size());
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (GenerationRecord r : records) {
                bind(ps, r);
                ps.addBatch();
            }
            int[] changed = ps.executeBatch();
            for (int i = 0; i < changed.length; i++) {
                if (changed[i] > 0) {
                    added.add(records.get(i));
                }
            }
        }
        return added;
    }

    /** Adds newly stored records to the key totals and the reports' aggregates. */
    private static void addToTotals(Connection c, List<GenerationRecord> added) throws SQLException {
        KeyUsageTotals keys = new KeyUsageTotals();
        ActivityTotals activity = new ActivityTotals();
        AppTotals apps = new AppTotals();
        for (GenerationRecord r : added) {
            keys.count(r.keyHash(), r.createdAt(), r.cost(), r.byokCost(), r.tokensPrompt(), r.tokensCompletion());
            activity.count(r);
            apps.count(r);
        }
        keys.addTo(c);
        activity.addTo(c);
        apps.addTo(c);
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
        try (Connection c = dataSource.getConnection()) {
            return KeyUsageTotals.read(c, keyHash, dayStart, weekStart, monthStart);
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public UsageTotals byokUsage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
        try (Connection c = dataSource.getConnection()) {
            return KeyUsageTotals.read(c, keyHash, dayStart, weekStart, monthStart, KeyUsageTotals.Spend.BYOK);
        } catch (SQLException e) {
            throw failures.classify(e);
        }
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
        ps.setInt(i++, r.usageEstimated() ? 1 : 0);
        ps.setString(i++, ProviderResponsesColumn.write(r.attempts()));
        ps.setString(i++, r.presetId().orElse(null));
        ps.setString(i++, r.workspaceId());
        ps.setString(i++, r.appCategories().isEmpty() ? null : String.join(",", r.appCategories()));
        ps.setInt(i++, r.byok() ? 1 : 0);
        ps.setString(
                i++, r.upstreamInferenceCost().map(BigDecimal::toPlainString).orElse(null));
        ps.setString(i, r.cacheDiscount().map(BigDecimal::toPlainString).orElse(null));
    }

    private static GenerationRecord read(ResultSet rs) throws SQLException {
        return new GenerationRecord(
                rs.getString(1),
                Instant.parse(rs.getString(2)),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8) == 1,
                rs.getInt(9) == 1,
                rs.getString(10),
                rs.getString(11),
                rs.getLong(12),
                rs.getLong(13),
                rs.getLong(14),
                rs.getLong(15),
                new BigDecimal(rs.getString(16)),
                rs.getLong(17),
                rs.getLong(18),
                rs.getLong(19),
                Optional.ofNullable(rs.getString(20)),
                Optional.ofNullable(rs.getString(21)),
                Optional.ofNullable(rs.getString(22)),
                rs.getInt(23),
                Optional.ofNullable(rs.getString(24)),
                rs.getInt(25) == 1,
                ProviderResponsesColumn.read(rs.getString(26)),
                Optional.ofNullable(rs.getString(27)),
                rs.getString(28),
                categories(rs.getString(29)),
                rs.getInt(30) == 1,
                Optional.ofNullable(rs.getString(31)).map(BigDecimal::new),
                Optional.ofNullable(rs.getString(32)).map(BigDecimal::new));
    }

    private static List<String> categories(@Nullable String column) {
        return column == null ? List.of() : List.of(column.split(","));
    }
}
