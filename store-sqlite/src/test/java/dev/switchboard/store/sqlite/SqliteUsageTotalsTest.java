package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.storage.StorageFixtures;
import dev.switchboard.core.storage.StorageFixtures.Periods;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-key totals on a real SQLite file: a usage read visits the totals tables only, however many
 * records a key has, and stays exact when two processes write the same file.
 */
class SqliteUsageTotalsTest {
    private static final Instant FIRST = Instant.parse("2026-09-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theUsageQueryReadsOnlyTheTotalsTablesByTheirPrimaryKeys() throws SQLException {
        Path file = dir.resolve("plan.db");
        SqliteStorage.open(file).close();

        List<String> plan = queryPlan(file, KeyUsageTotals.USAGE_QUERY, "k", "2026-11-01");

        assertThat(plan).isNotEmpty().noneMatch(step -> step.contains("generations"));
        assertThat(plan)
                .anyMatch(step ->
                        step.matches("SEARCH key_usage_daily USING PRIMARY KEY \\(key_hash=\\? AND day>\\?\\)"));
        assertThat(plan)
                .anyMatch(step -> step.matches("SEARCH key_usage_lifetime USING PRIMARY KEY \\(key_hash=\\?\\)"));
        assertThat(plan).noneMatch(step -> step.startsWith("SCAN"));
    }

    @Test
    void staysExactForAKeyWithAHundredThousandRecords() throws SQLException {
        Path file = dir.resolve("history.db");
        List<GenerationRecord> all = new ArrayList<>();
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            for (int batch = 0; batch < 100; batch++) {
                List<GenerationRecord> records = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    int n = batch * 1000 + i;
                    // 100,000 records over about 100 days, one every 86.4 s; costs with up to 12 decimals
                    Instant at = FIRST.plus(Duration.ofMillis(n * 86_400L));
                    String cost = BigDecimal.valueOf(n % 997 + 1, n % 13).toPlainString();
                    records.add(StorageFixtures.generation("gen-" + n, n % 10 == 0 ? "other" : "k", at, cost));
                }
                storage.generations().insertAll(records);
                all.addAll(records);
            }

            Periods p = Periods.of(FIRST.plus(Duration.ofDays(99)).plusSeconds(3600));
            UsageTotals usage = storage.generations().usage("k", p.day(), p.week(), p.month());

            assertThat(usage.total()).isEqualByComparingTo(sum(all, "k", Instant.MIN));
            assertThat(usage.monthly()).isEqualByComparingTo(sum(all, "k", p.month()));
            assertThat(usage.weekly()).isEqualByComparingTo(sum(all, "k", p.week()));
            assertThat(usage.daily()).isEqualByComparingTo(sum(all, "k", p.day()));
            assertThat(usage.daily()).isPositive();
        }
        assertThat(SqliteStorageTest.query(file, "SELECT count(*) FROM key_usage_daily WHERE key_hash = 'k'"))
                .as("one row per day, not per record")
                .containsExactly("100");
        assertThat(SqliteStorageTest.query(
                        file,
                        "SELECT requests || ' ' || tokens_prompt || ' ' || tokens_completion"
                                + " FROM key_usage_lifetime WHERE key_hash = 'k'"))
                .containsExactly("90000 900000 1800000");
    }

    @Test
    void twoStoragesOnOneFileKeepTheTotalsExact() throws Exception {
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

            Periods p = Periods.of(today);
            UsageTotals usage = first.generations().usage("k", p.day(), p.week(), p.month());
            assertThat(usage.total()).isEqualByComparingTo("1.01");
            assertThat(usage.daily()).isEqualByComparingTo("1.01");
        }
    }

    private static BigDecimal sum(List<GenerationRecord> records, String keyHash, Instant since) {
        return records.stream()
                .filter(r -> r.keyHash().equals(keyHash) && !r.createdAt().isBefore(since))
                .map(GenerationRecord::cost)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The {@code detail} column of SQLite's plan for a query, one line per step. */
    static List<String> queryPlan(Path file, String sql, String... parameters) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            List<String> steps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        }
    }
}
