package dev.switchboard.store.sqlite;

import dev.switchboard.core.generation.UsageTotals;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each key's spend per UTC day and over its lifetime, in the tables {@code key_usage_daily} and
 * {@code key_usage_lifetime}: kept up by the transaction that stores generation records, and summed
 * for {@code GET /key} without reading a single generation row.
 *
 * <p>Design note. SQLite has no decimal type, and its {@code SUM} over text computes in floating
 * point, so costs are stored as exact decimal text and all arithmetic on them happens in Java with
 * {@link BigDecimal}. (Integer nano-dollars would let SQLite add them, but the catalog's prices have
 * more decimal places than that, and a record's cost is never rounded.) Adding a batch is therefore a
 * read-modify-write per row: the records are first summed in memory per (key, day) and per key, then
 * each row's cost is read, added to and written back with an UPSERT, whose integer counters SQLite adds
 * itself. This is safe without further locking because it runs inside the batch's write transaction,
 * after the batch's first {@code INSERT}, when the connection already holds SQLite's single write lock:
 * no other writer can change a row between its read and its write.
 *
 * <p>Reading sums one row per day since the earlier of the week's and the month's start (at most 31:
 * a week begins before the month only in the month's first six days) plus the lifetime row, in one
 * {@code SELECT}, so that both come from the same snapshot. The day of a record is the UTC date of its
 * creation instant, so the period starts passed in must be UTC midnights.
 *
 * <p>Used by one thread at a time (one per transaction); not thread-safe.
 */
final class KeyUsageTotals {
    /**
     * The rows a usage read visits: the key's days since {@code ?2}, and its lifetime row (day NULL), each
     * with what credits were charged and what BYOK requests cost at list price.
     */
    static final String USAGE_QUERY =
            "SELECT day, cost_total, byok_cost FROM key_usage_daily WHERE key_hash = ?1 AND day >= ?2"
                    + " UNION ALL SELECT NULL, cost_total, byok_cost FROM key_usage_lifetime WHERE key_hash = ?1";
    // The VALUES row holds the new money totals, computed in Java, and the counts of this batch alone:
    // on conflict the money replaces the stored one and the counts are added to the stored ones.
    private static final String ADD_DAY = "INSERT INTO key_usage_daily"
            + " (key_hash, day, cost_total, byok_cost, requests, tokens_prompt, tokens_completion)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (key_hash, day) DO UPDATE SET cost_total = excluded.cost_total,"
            + " byok_cost = excluded.byok_cost,"
            + " requests = requests + excluded.requests, tokens_prompt = tokens_prompt + excluded.tokens_prompt,"
            + " tokens_completion = tokens_completion + excluded.tokens_completion";
    // a key's first row takes its workspace from the key; the key may be gone since, and its spend stays
    // with the workspace it was made in
    private static final String ADD_LIFETIME = "INSERT INTO key_usage_lifetime"
            + " (key_hash, cost_total, byok_cost, requests, tokens_prompt, tokens_completion, workspace_id)"
            + " VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
            + " COALESCE((SELECT workspace_id FROM api_keys WHERE hash = ?1), 'default'))"
            + " ON CONFLICT (key_hash) DO UPDATE SET cost_total = excluded.cost_total,"
            + " byok_cost = excluded.byok_cost,"
            + " requests = requests + excluded.requests, tokens_prompt = tokens_prompt + excluded.tokens_prompt,"
            + " tokens_completion = tokens_completion + excluded.tokens_completion";
    /** {@link #ADD_DAY} as schema version 2 had it, before BYOK (its migration's backfill). */
    private static final String ADD_DAY_V2 = "INSERT INTO key_usage_daily"
            + " (key_hash, day, cost_total, requests, tokens_prompt, tokens_completion) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (key_hash, day) DO UPDATE SET cost_total = excluded.cost_total,"
            + " requests = requests + excluded.requests, tokens_prompt = tokens_prompt + excluded.tokens_prompt,"
            + " tokens_completion = tokens_completion + excluded.tokens_completion";
    /** {@link #ADD_LIFETIME} as schema version 2 had it, before keys had workspaces (its migration's backfill). */
    private static final String ADD_LIFETIME_V2 = "INSERT INTO key_usage_lifetime"
            + " (key_hash, cost_total, requests, tokens_prompt, tokens_completion) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (key_hash) DO UPDATE SET cost_total = excluded.cost_total,"
            + " requests = requests + excluded.requests, tokens_prompt = tokens_prompt + excluded.tokens_prompt,"
            + " tokens_completion = tokens_completion + excluded.tokens_completion";

    private static final String DAY_COST =
            "SELECT cost_total, byok_cost FROM key_usage_daily WHERE key_hash = ? AND day = ?";
    private static final String LIFETIME_COST =
            "SELECT cost_total, byok_cost FROM key_usage_lifetime WHERE key_hash = ?";
    private static final String DAY_COST_V2 =
            "SELECT cost_total, '0' FROM key_usage_daily WHERE key_hash = ? AND day = ?";
    private static final String LIFETIME_COST_V2 = "SELECT cost_total, '0' FROM key_usage_lifetime WHERE key_hash = ?";

    private final boolean current;
    private final Map<Day, Sums> days = new LinkedHashMap<>();
    private final Map<String, Sums> lifetimes = new LinkedHashMap<>();

    /** Totals for the current schema. */
    KeyUsageTotals() {
        this(true);
    }

    /**
     * @param current false for schema version 2 (its migration's backfill), before keys had workspaces and
     *                BYOK had its own totals; true for the current schema
     */
    KeyUsageTotals(boolean current) {
        this.current = current;
    }

    /** One key on one UTC date, {@code YYYY-MM-DD}. */
    private record Day(String keyHash, String date) {}

    /** What a set of records adds to one row. */
    private static final class Sums {
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal byok = BigDecimal.ZERO;
        long requests;
        long promptTokens;
        long completionTokens;

        void add(BigDecimal recordCost, BigDecimal byokCost, long prompt, long completion) {
            cost = cost.add(recordCost);
            byok = byok.add(byokCost);
            requests++;
            promptTokens += prompt;
            completionTokens += completion;
        }
    }

    /** Counts one record that was not BYOK (as every record before schema version 10 was). */
    void count(String keyHash, Instant createdAt, BigDecimal cost, long promptTokens, long completionTokens) {
        count(keyHash, createdAt, cost, BigDecimal.ZERO, promptTokens, completionTokens);
    }

    /**
     * Counts one stored record in its key's day and lifetime; nothing is written until {@link #addTo}.
     *
     * @param cost     what its workspace's credits were charged
     * @param byokCost what it cost at list price when it was served with the workspace's own key, else zero
     */
    void count(
            String keyHash,
            Instant createdAt,
            BigDecimal cost,
            BigDecimal byokCost,
            long promptTokens,
            long completionTokens) {
        String date = LocalDate.ofInstant(createdAt, ZoneOffset.UTC).toString();
        days.computeIfAbsent(new Day(keyHash, date), d -> new Sums())
                .add(cost, byokCost, promptTokens, completionTokens);
        lifetimes.computeIfAbsent(keyHash, k -> new Sums()).add(cost, byokCost, promptTokens, completionTokens);
    }

    /** Adds what was counted to the stored totals. Must run inside a transaction that holds the write lock. */
    void addTo(Connection c) throws SQLException {
        try (PreparedStatement read = c.prepareStatement(current ? DAY_COST : DAY_COST_V2);
                PreparedStatement write = c.prepareStatement(current ? ADD_DAY : ADD_DAY_V2)) {
            for (Map.Entry<Day, Sums> e : days.entrySet()) {
                Sums sums = e.getValue();
                Money stored = storedCost(read, e.getKey().keyHash(), e.getKey().date());
                bind(write, sums, stored, e.getKey().keyHash(), e.getKey().date());
                write.addBatch();
            }
            write.executeBatch();
        }
        try (PreparedStatement read = c.prepareStatement(current ? LIFETIME_COST : LIFETIME_COST_V2);
                PreparedStatement write = c.prepareStatement(current ? ADD_LIFETIME : ADD_LIFETIME_V2)) {
            for (Map.Entry<String, Sums> e : lifetimes.entrySet()) {
                Money stored = storedCost(read, e.getKey());
                bind(write, e.getValue(), stored, e.getKey());
                write.addBatch();
            }
            write.executeBatch();
        }
    }

    /** A row's stored money: what credits were charged, and what BYOK requests cost at list price. */
    private record Money(BigDecimal cost, BigDecimal byok) {
        static final Money NONE = new Money(BigDecimal.ZERO, BigDecimal.ZERO);
    }

    private static Money storedCost(PreparedStatement read, String... key) throws SQLException {
        for (int i = 0; i < key.length; i++) {
            read.setString(i + 1, key[i]);
        }
        try (ResultSet rs = read.executeQuery()) {
            return rs.next() ? new Money(new BigDecimal(rs.getString(1)), new BigDecimal(rs.getString(2))) : Money.NONE;
        }
    }

    private void bind(PreparedStatement write, Sums sums, Money stored, String... key) throws SQLException {
        int i = 1;
        for (String part : key) {
            write.setString(i++, part);
        }
        write.setString(i++, stored.cost().add(sums.cost).toPlainString());
        if (current) {
            write.setString(i++, stored.byok().add(sums.byok).toPlainString());
        }
        write.setLong(i++, sums.requests);
        write.setLong(i++, sums.promptTokens);
        write.setLong(i, sums.completionTokens);
    }

    /** Which of a row's money a read sums. */
    enum Spend {
        /** What credits were charged ({@code cost_total}). */
        CREDITS(2),
        /** What BYOK requests cost at list price ({@code byok_cost}). */
        BYOK(3);

        private final int column;

        Spend(int column) {
            this.column = column;
        }
    }

    /**
     * A key's spend over its lifetime and since each period start, from the totals tables alone.
     *
     * @throws IllegalArgumentException when a period start is not a UTC midnight
     */
    static UsageTotals read(Connection c, String keyHash, Instant dayStart, Instant weekStart, Instant monthStart)
            throws SQLException {
        return read(c, keyHash, dayStart, weekStart, monthStart, Spend.CREDITS);
    }

    /** Like {@link #read(Connection, String, Instant, Instant, Instant)}, of the given spend. */
    static UsageTotals read(
            Connection c, String keyHash, Instant dayStart, Instant weekStart, Instant monthStart, Spend spend)
            throws SQLException {
        Periods periods = new Periods(
                utcDate(dayStart, "dayStart"), utcDate(weekStart, "weekStart"), utcDate(monthStart, "monthStart"));
        UsageTotals sum = UsageTotals.ZERO;
        try (PreparedStatement ps = c.prepareStatement(USAGE_QUERY)) {
            ps.setString(1, keyHash);
            ps.setString(2, periods.earliest().toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sum = sum.plus(periods.share(rs.getString(1), new BigDecimal(rs.getString(spend.column))));
                }
            }
        }
        return sum;
    }

    /** The UTC dates on which the current day, week and month began. */
    private record Periods(LocalDate day, LocalDate week, LocalDate month) {
        LocalDate earliest() {
            LocalDate earlier = week.isBefore(month) ? week : month;
            return day.isBefore(earlier) ? day : earlier;
        }

        /** What one row adds: the lifetime row (no date) to the total, a day's row to each period it is in. */
        UsageTotals share(String date, BigDecimal cost) {
            if (date == null) {
                return new UsageTotals(cost, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
            }
            LocalDate on = LocalDate.parse(date);
            return new UsageTotals(
                    BigDecimal.ZERO,
                    on.isBefore(day) ? BigDecimal.ZERO : cost,
                    on.isBefore(week) ? BigDecimal.ZERO : cost,
                    on.isBefore(month) ? BigDecimal.ZERO : cost);
        }
    }

    private static LocalDate utcDate(Instant start, String name) {
        if (!start.equals(start.truncatedTo(ChronoUnit.DAYS))) {
            throw new IllegalArgumentException(name + " must be a UTC midnight, not " + start);
        }
        return LocalDate.ofInstant(start, ZoneOffset.UTC);
    }
}
