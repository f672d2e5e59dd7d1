package dev.switchboard.store.sqlite;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database's schema up to date with Flyway: the SQL scripts under {@code db/sqlite/} and the
 * Java migrations listed here, each in its own transaction, recorded in {@code flyway_schema_history}.
 *
 * <p>Design note. Databases made before Flyway was used record their schema version in
 * {@code PRAGMA user_version} (1, for the only script there was) and have no history table. Such a
 * database is baselined at that version, so that Flyway takes its tables as already made and applies
 * only the later migrations. A database with neither is new (Flyway refuses one that has tables but no
 * version, rather than guess). Flyway looks for scripts in one classpath folder only and is given its
 * Java migrations and no callbacks, so opening a database scans nothing else.
 *
 * <p>Loading Flyway (some 300 classes) costs about 0.3 s of a cold start, while almost every start
 * opens a database that is already up to date. So when the history already holds {@link #LATEST_VERSION}
 * as applied and no failed migration, Flyway is not loaded at all. Anything else (a new database, an
 * older schema, a failed migration) goes to Flyway, which validates the history and migrates or refuses.
 * A test checks that {@link #LATEST_VERSION} is the newest migration Flyway finds, so that adding a
 * migration without raising it fails the build rather than skipping the migration.
 */
final class SqliteMigrations {
    /** The newest schema version; raised with every new migration. */
    static final String LATEST_VERSION = "10";

    static final String SCRIPTS = "classpath:db/sqlite";
    private static final System.Logger LOG = System.getLogger(SqliteMigrations.class.getName());
    /** The last {@code user_version} the hand-written migrations set; they stopped at the first script. */
    private static final int LAST_LEGACY_VERSION = 1;

    private static final String HISTORY = "flyway_schema_history";

    private final DataSource dataSource;

    SqliteMigrations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the database says about its schema before anything is migrated. */
    private record Schema(boolean hasHistory, boolean current, int userVersion) {}

    /** @throws IllegalStateException when a migration fails or the database's history does not match the migrations */
    void apply() {
        Schema schema = inspect();
        if (schema.current()) {
            return;
        }
        int legacyVersion = schema.hasHistory() ? 0 : schema.userVersion();
        if (legacyVersion > LAST_LEGACY_VERSION) {
            throw new IllegalStateException("the database has schema version " + legacyVersion
                    + " (PRAGMA user_version)" + " but no migration history; no version of Switchboard made it");
        }
        MigrateResult result;
        try {
            result = configuration(dataSource, legacyVersion).load().migrate();
        } catch (FlywayException e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
        if (result.migrationsExecuted > 0 && result.initialSchemaVersion != null) {
            LOG.log(
                    Level.INFO,
                    "Upgraded the database schema from version " + result.initialSchemaVersion + " to "
                            + result.targetSchemaVersion + ".");
        }
    }

    /** Flyway set up for this schema; a database from before Flyway with {@code user_version > 0} is baselined. */
    static FluentConfiguration configuration(DataSource dataSource, int legacyVersion) {
        return Flyway.configure(SqliteMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(SCRIPTS)
                .javaMigrations(new KeyUsageTotalsMigration(), new ReportTotalsMigration())
                .skipDefaultCallbacks(true)
                .baselineOnMigrate(legacyVersion > 0)
                .baselineVersion(String.valueOf(LAST_LEGACY_VERSION))
                .baselineDescription("schema made before Flyway (user_version " + LAST_LEGACY_VERSION + ")");
    }

    private Schema inspect() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            if (exists(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + HISTORY + "'")) {
                boolean current = exists(
                                s,
                                "SELECT 1 FROM " + HISTORY + " WHERE version = '" + LATEST_VERSION
                                        + "' AND success = 1")
                        && !exists(s, "SELECT 1 FROM " + HISTORY + " WHERE success = 0");
                return new Schema(true, current, 0);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                return new Schema(false, false, rs.next() ? rs.getInt(1) : 0);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema version: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }
}
