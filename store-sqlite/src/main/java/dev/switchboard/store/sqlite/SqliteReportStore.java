package dev.switchboard.store.sqlite;

import dev.switchboard.core.report.ActivityQuery;
import dev.switchboard.core.report.ActivityRow;
import dev.switchboard.core.report.AppUsage;
import dev.switchboard.core.storage.ReportStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link ReportStore} over the tables {@link ActivityTotals} and {@link AppTotals} keep up, which
 * {@link SqliteGenerationStore} writes in the transaction that stores the records. Reads only.
 */
final class SqliteReportStore implements ReportStore {
    private final DataSource dataSource;
    private final SqliteFailures failures;

    SqliteReportStore(DataSource dataSource, SqliteFailures failures) {
        this.dataSource = dataSource;
        this.failures = failures;
    }

    @Override
    public List<ActivityRow> activity(ActivityQuery query) {
        try (Connection c = dataSource.getConnection()) {
            return ActivityTotals.read(c, query);
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public List<AppUsage> apps(LocalDate first, LocalDate last, int limit) {
        try (Connection c = dataSource.getConnection()) {
            return AppTotals.read(c, first, last, limit);
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }
}
