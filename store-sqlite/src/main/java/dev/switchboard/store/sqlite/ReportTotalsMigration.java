package dev.switchboard.store.sqlite;

import dev.switchboard.core.report.ActivityCounts;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;

/**
 * Schema version 7: the reports' aggregates ({@link ActivityTotals}, {@link AppTotals}), filled from the
 * generation records already stored, and the record fields they and {@code GET /generation} need
 * (workspace, app categories, BYOK, upstream cost, cache discount).
 *
 * <p>A Java migration, as {@link KeyUsageTotalsMigration} is and for the same reason: the backfill adds
 * money exactly, which SQLite's {@code SUM} cannot. It reads every generation row once, in the
 * migration's transaction (a database that fails half-way keeps its version and tries again at the next
 * start), and holds one entry per aggregate row in memory meanwhile. Records stored before this version
 * belong to the default workspace (the only one there was), are not BYOK, named no categories and have no
 * known cache discount, which is what the new columns' defaults say; adding a column with a constant
 * default rewrites no row. The backfill writes with the statements the live path uses; a later version
 * that changes these tables must keep this version's statements for it, as {@link KeyUsageTotals} keeps
 * version 2's. Registered explicitly with Flyway.
 */
final class ReportTotalsMigration implements JavaMigration {
    private static final String[] STATEMENTS = {
        "ALTER TABLE generations ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default'",
        "ALTER TABLE generations ADD COLUMN app_categories TEXT",
        "ALTER TABLE generations ADD COLUMN is_byok INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE generations ADD COLUMN upstream_inference_cost TEXT",
        "ALTER TABLE generations ADD COLUMN cache_discount TEXT",
        """
        CREATE TABLE activity_daily (
            day               TEXT NOT NULL,
            workspace_id      TEXT NOT NULL,
            key_hash          TEXT NOT NULL,
            model             TEXT NOT NULL,
            provider_slug     TEXT NOT NULL,
            provider_name     TEXT NOT NULL,
            usage             TEXT NOT NULL,
            byok_usage        TEXT NOT NULL,
            requests          INTEGER NOT NULL,
            tokens_prompt     INTEGER NOT NULL,
            tokens_completion INTEGER NOT NULL,
            tokens_reasoning  INTEGER NOT NULL,
            PRIMARY KEY (day, workspace_id, key_hash, model, provider_slug)
        ) WITHOUT ROWID""",
        """
        CREATE TABLE app_usage_daily (
            day               TEXT NOT NULL,
            app               TEXT NOT NULL,
            requests          INTEGER NOT NULL,
            tokens_prompt     INTEGER NOT NULL,
            tokens_completion INTEGER NOT NULL,
            PRIMARY KEY (day, app)
        ) WITHOUT ROWID""",
        """
        CREATE TABLE apps (
            app        TEXT NOT NULL PRIMARY KEY,
            title      TEXT,
            categories TEXT NOT NULL
        ) WITHOUT ROWID"""
    };

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("7");
    }

    @Override
    public String getDescription() {
        return "activity and app totals";
    }

    @Override
    public @Nullable Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            for (String statement : STATEMENTS) {
                s.execute(statement);
            }
        }
        ActivityTotals activity = new ActivityTotals();
        AppTotals apps = new AppTotals();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT created_at, key_hash, model, provider_slug, provider_name,"
                        + " cost, tokens_prompt, tokens_completion, tokens_reasoning, http_referer, app_title"
                        + " FROM generations ORDER BY rowid")) {
            while (rs.next()) {
                Instant createdAt = Instant.parse(rs.getString(1));
                long prompt = rs.getLong(7);
                long completion = rs.getLong(8);
                ActivityCounts counts = new ActivityCounts(
                        new BigDecimal(rs.getString(6)), BigDecimal.ZERO, 1, prompt, completion, rs.getLong(9));
                activity.count(
                        createdAt,
                        "default",
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        counts);
                apps.count(
                        createdAt,
                        Optional.ofNullable(rs.getString(10)),
                        Optional.ofNullable(rs.getString(11)),
                        List.of(),
                        prompt,
                        completion);
            }
        }
        activity.addTo(c);
        apps.addTo(c);
    }
}
