package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.report.ActivityQuery;
import dev.switchboard.core.report.ActivityRow;
import dev.switchboard.core.storage.StorageFixtures;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports' aggregates on a real SQLite file: each report query is one search of an aggregate table's
 * primary key by day and never touches {@code generations}, and the money stays exact when two processes
 * write the same file.
 */
class SqliteReportTotalsTest {
    @TempDir
    Path dir;

    @Test
    void theActivityQueryIsOneRangeSearchOfTheActivityTableByDay() throws SQLException {
        Path file = dir.resolve("plan.db");
        SqliteStorage.open(file).close();

        for (String[] filters : new String[][] {{null, null}, {"default", null}, {null, "k"}, {"default", "k"}}) {
            List<String> plan = SqliteUsageTotalsTest.queryPlan(
                    file, ActivityTotals.ACTIVITY_QUERY, "2026-11-01", "2026-11-30", filters[0], filters[1]);

            assertThat(plan).noneMatch(step -> step.contains("generations"));
            assertThat(plan).containsExactly("SEARCH activity_daily USING PRIMARY KEY (day>? AND day<?)");
        }
    }

    @Test
    void theRankingQuerySearchesTheAppTablesByTheirPrimaryKeys() throws SQLException {
        Path file = dir.resolve("plan.db");
        SqliteStorage.open(file).close();

        List<String> plan =
                SqliteUsageTotalsTest.queryPlan(file, AppTotals.RANKING_QUERY, "2026-11-01", "2026-11-30", "10");

        assertThat(plan).noneMatch(step -> step.contains("generations"));
        assertThat(plan).contains("SEARCH u USING PRIMARY KEY (day>? AND day<?)", "SEARCH a USING PRIMARY KEY (app=?)");
        assertThat(plan).noneMatch(step -> step.startsWith("SCAN"));
    }

    @Test
    void twoStoragesOnOneFileKeepTheActivityExact() throws Exception {
        Path file = dir.resolve("shared.db");
        Instant today = Instant.parse("2026-11-22T10:00:00Z");
        try (SqliteStorage first = SqliteStorage.open(file);
                SqliteStorage second = SqliteStorage.open(file)) {
            Thread other = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    second.generations().insertAll(List.of(StorageFixtures.generation("b-" + i, "k", today, "0.0001")));
                }
            });
            for (int i = 0; i < 100; i++) {
                first.generations().insertAll(List.of(StorageFixtures.generation("a-" + i, "k", today, "0.01")));
            }
            other.join();

            LocalDate day = LocalDate.parse("2026-11-22");
            List<ActivityRow> rows =
                    first.reports().activity(new ActivityQuery(day, day, Optional.empty(), Optional.empty()));
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.counts().usage()).isEqualByComparingTo("1.01");
                assertThat(row.counts().requests()).isEqualTo(200);
            });
        }
    }
}
