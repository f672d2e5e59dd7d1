package dev.switchboard.store.sqlite;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;

/**
 * Schema version 2: the per-key totals of {@link KeyUsageTotals}, filled from the generation records
 * already stored. A Java migration rather than an SQL script because the backfill must add costs
 * exactly, which SQLite's {@code SUM} (floating point) cannot. It reads every generation row once, in
 * the migration's transaction, so a database that fails half-way keeps version 1 and tries again at the
 * next start. Registered explicitly with Flyway; never found by scanning.
 */
final class KeyUsageTotalsMigration implements JavaMigration {
    private static final String[] TABLES = {"""
        CREATE TABLE key_usage_daily (
            key_hash          TEXT NOT NULL,
            day               TEXT NOT NULL,
            cost_total        TEXT NOT NULL,
            requests          INTEGER NOT NULL,
            tokens_prompt     INTEGER NOT NULL,
            tokens_completion INTEGER NOT NULL,
            PRIMARY KEY (key_hash, day)
        ) WITHOUT ROWID""", """
        CREATE TABLE key_usage_lifetime (
            key_hash          TEXT NOT NULL PRIMARY KEY,
            cost_total        TEXT NOT NULL,
            requests          INTEGER NOT NULL,
            tokens_prompt     INTEGER NOT NULL,
            tokens_completion INTEGER NOT NULL
        ) WITHOUT ROWID"""};

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("2");
    }

    @Override
    public String getDescription() {
        return "key usage totals per UTC day and lifetime";
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
            for (String table : TABLES) {
                s.execute(table);
            }
        }
        backfill(c).addTo(c);
    }

    private static KeyUsageTotals backfill(Connection c) throws SQLException {
        KeyUsageTotals totals = new KeyUsageTotals(false);
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT key_hash, created_at, cost, tokens_prompt, tokens_completion FROM generations")) {
            while (rs.next()) {
                totals.count(
                        rs.getString(1),
                        Instant.parse(rs.getString(2)),
                        new BigDecimal(rs.getString(3)),
                        rs.getLong(4),
                        rs.getLong(5));
            }
        }
        return totals;
    }
}
