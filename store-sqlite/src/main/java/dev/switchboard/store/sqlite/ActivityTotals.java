package dev.switchboard.store.sqlite;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.report.ActivityCounts;
import dev.switchboard.core.report.ActivityQuery;
import dev.switchboard.core.report.ActivityRow;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Activity per UTC day, workspace, key and endpoint (provider and model), in the table
 * {@code activity_daily}: kept up by the transaction that stores generation records, and read for
 * {@code GET /activity} without reading a single generation row.
 *
 * <p>Kept as {@link KeyUsageTotals} keeps each key's spend, for the same reasons (see its design note):
 * money is exact decimal text, added in Java; a batch is first summed in memory per row, then each row's
 * money is read, added to and written back with an UPSERT whose integer counters SQLite adds itself, all
 * inside the batch's write transaction, which already holds SQLite's write lock. The primary key leads
 * with the day, so a report over a span of days is one range search of it, whatever else it filters by.
 *
 * <p>A record counts when it reached a provider (its provider slug is set), whatever its outcome:
 * failed requests then count as requests, at no cost, and the usage of a key's rows adds up to its spend.
 *
 * <p>Used by one thread at a time (one per transaction); not thread-safe.
 */
final class ActivityTotals {
    /** The rows of a report: a span of days, optionally one workspace ({@code ?3}) and one key ({@code ?4}). */
    static final String ACTIVITY_QUERY = "SELECT day, workspace_id, key_hash, model, provider_slug, provider_name,"
            + " usage, byok_usage, requests, tokens_prompt, tokens_completion, tokens_reasoning FROM activity_daily"
            + " WHERE day >= ?1 AND day <= ?2 AND (?3 IS NULL OR workspace_id = ?3) AND (?4 IS NULL OR key_hash = ?4)";

    private static final String STORED = "SELECT usage, byok_usage FROM activity_daily"
            + " WHERE day = ? AND workspace_id = ? AND key_hash = ? AND model = ? AND provider_slug = ?";
    // The VALUES row holds the new money totals, computed in Java, and the counts of this batch alone.
    private static final String ADD = "INSERT INTO activity_daily (day, workspace_id, key_hash, model, provider_slug,"
            + " provider_name, usage, byok_usage, requests, tokens_prompt, tokens_completion, tokens_reasoning)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (day, workspace_id, key_hash, model, provider_slug) DO UPDATE SET"
            + " provider_name = excluded.provider_name, usage = excluded.usage, byok_usage = excluded.byok_usage,"
            + " requests = requests + excluded.requests, tokens_prompt = tokens_prompt + excluded.tokens_prompt,"
            + " tokens_completion = tokens_completion + excluded.tokens_completion,"
            + " tokens_reasoning = tokens_reasoning + excluded.tokens_reasoning";

    private final Map<Row, Added> rows = new LinkedHashMap<>();

    /** The primary key of a row. */
    private record Row(String date, String workspaceId, String keyHash, String model, String providerSlug) {}

    /** What a batch adds to one row, and the provider's name as its last record gave it. */
    private record Added(String providerName, ActivityCounts counts) {
        Added plus(Added later) {
            return new Added(later.providerName, counts.plus(later.counts));
        }
    }

    /** Counts one stored record, if it reached a provider; nothing is written until {@link #addTo}. */
    void count(GenerationRecord r) {
        BigDecimal byok = r.byok() ? r.upstreamInferenceCost().orElse(BigDecimal.ZERO) : BigDecimal.ZERO;
        count(
                r.createdAt(),
                r.workspaceId(),
                r.keyHash(),
                r.model(),
                r.providerSlug(),
                r.providerName(),
                new ActivityCounts(r.cost(), byok, 1, r.tokensPrompt(), r.tokensCompletion(), r.tokensReasoning()));
    }

    /** Counts one record given by its parts (of a single request: {@code counts.requests()} is 1). */
    void count(
            Instant createdAt,
            String workspaceId,
            String keyHash,
            String model,
            String providerSlug,
            String providerName,
            ActivityCounts counts) {
        if (providerSlug.isEmpty()) {
            return;
        }
        String date = LocalDate.ofInstant(createdAt, ZoneOffset.UTC).toString();
        rows.merge(
                new Row(date, workspaceId, keyHash, model, providerSlug), new Added(providerName, counts), Added::plus);
    }

    /** Adds what was counted to the stored rows. Must run inside a transaction that holds the write lock. */
    void addTo(Connection c) throws SQLException {
        try (PreparedStatement read = c.prepareStatement(STORED);
                PreparedStatement write = c.prepareStatement(ADD)) {
            for (Map.Entry<Row, Added> e : rows.entrySet()) {
                Row row = e.getKey();
                ActivityCounts added = e.getValue().counts();
                Money stored = stored(read, row);
                int i = bindKey(write, 1, row);
                write.setString(i++, e.getValue().providerName());
                write.setString(i++, stored.usage().add(added.usage()).toPlainString());
                write.setString(i++, stored.byokUsage().add(added.byokUsage()).toPlainString());
                write.setLong(i++, added.requests());
                write.setLong(i++, added.promptTokens());
                write.setLong(i++, added.completionTokens());
                write.setLong(i, added.reasoningTokens());
                write.addBatch();
            }
            write.executeBatch();
        }
    }

    /** A row's stored money. */
    private record Money(BigDecimal usage, BigDecimal byokUsage) {}

    /** The row's stored usage and BYOK usage, zero when it has none yet. */
    private static Money stored(PreparedStatement read, Row row) throws SQLException {
        bindKey(read, 1, row);
        try (ResultSet rs = read.executeQuery()) {
            return rs.next()
                    ? new Money(new BigDecimal(rs.getString(1)), new BigDecimal(rs.getString(2)))
                    : new Money(BigDecimal.ZERO, BigDecimal.ZERO);
        }
    }

    private static int bindKey(PreparedStatement ps, int first, Row row) throws SQLException {
        int i = first;
        ps.setString(i++, row.date());
        ps.setString(i++, row.workspaceId());
        ps.setString(i++, row.keyHash());
        ps.setString(i++, row.model());
        ps.setString(i++, row.providerSlug());
        return i;
    }

    /** The stored rows a query asks for, from {@code activity_daily} alone. */
    static List<ActivityRow> read(Connection c, ActivityQuery query) throws SQLException {
        List<ActivityRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ACTIVITY_QUERY)) {
            ps.setString(1, query.first().toString());
            ps.setString(2, query.last().toString());
            ps.setString(3, query.workspaceId().orElse(null));
            ps.setString(4, query.keyHash().orElse(null));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ActivityRow(
                            LocalDate.parse(rs.getString(1)),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            new ActivityCounts(
                                    new BigDecimal(rs.getString(7)),
                                    new BigDecimal(rs.getString(8)),
                                    rs.getLong(9),
                                    rs.getLong(10),
                                    rs.getLong(11),
                                    rs.getLong(12))));
                }
            }
        }
        return rows;
    }
}
