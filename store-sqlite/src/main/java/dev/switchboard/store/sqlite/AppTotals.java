package dev.switchboard.store.sqlite;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.report.AppIdentity;
import dev.switchboard.core.report.AppUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each app's requests and tokens per UTC day, in {@code app_usage_daily}, and its title and categories,
 * in {@code apps}: kept up by the transaction that stores generation records (as {@link KeyUsageTotals}
 * is), and ranked for {@code GET /apps} without reading a single generation row. Which app a record
 * belongs to, if any, is {@link AppIdentity}'s to say.
 *
 * <p>Counts are integers, so SQLite adds them itself in the UPSERT, and ranking a period sums them with
 * {@code SUM}, exact for integers. An app's title is the last one it was sent with (a request without one
 * keeps it); its categories are merged by {@link AppIdentity#mergeCategories}, which needs the stored
 * ones: they are read and written back inside the batch's write transaction, as the money of the other
 * totals is. Categories never hold a comma, so they are stored as one comma-separated text.
 *
 * <p>Used by one thread at a time (one per transaction); not thread-safe.
 */
final class AppTotals {
    /** The apps of a span of days ({@code ?1} to {@code ?2}), most tokens first, at most {@code ?3}. */
    static final String RANKING_QUERY = "SELECT u.app, a.title, a.categories, SUM(u.requests), SUM(u.tokens_prompt),"
            + " SUM(u.tokens_completion) FROM app_usage_daily u JOIN apps a ON a.app = u.app"
            + " WHERE u.day >= ?1 AND u.day <= ?2 GROUP BY u.app"
            + " ORDER BY SUM(u.tokens_prompt) + SUM(u.tokens_completion) DESC, u.app LIMIT ?3";

    private static final String ADD_DAY = "INSERT INTO app_usage_daily"
            + " (day, app, requests, tokens_prompt, tokens_completion) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (day, app) DO UPDATE SET requests = requests + excluded.requests,"
            + " tokens_prompt = tokens_prompt + excluded.tokens_prompt,"
            + " tokens_completion = tokens_completion + excluded.tokens_completion";
    private static final String STORED_CATEGORIES = "SELECT categories FROM apps WHERE app = ?";
    private static final String ADD_APP = "INSERT INTO apps (app, title, categories) VALUES (?, ?, ?)"
            + " ON CONFLICT (app) DO UPDATE SET title = COALESCE(excluded.title, title),"
            + " categories = excluded.categories";

    private final Map<Day, Counts> days = new LinkedHashMap<>();
    private final Map<String, Seen> apps = new LinkedHashMap<>();

    /** One app on one UTC date. */
    private record Day(String date, String app) {}

    /** What a batch adds to one day of an app. */
    private static final class Counts {
        long requests;
        long promptTokens;
        long completionTokens;
    }

    /** What a batch says of an app: its last title, and the categories it named, in order. */
    private static final class Seen {
        Optional<String> title = Optional.empty();
        List<String> categories = List.of();
    }

    /** Counts one stored record, if it has an app; nothing is written until {@link #addTo}. */
    void count(GenerationRecord r) {
        count(r.createdAt(), r.httpReferer(), r.appTitle(), r.appCategories(), r.tokensPrompt(), r.tokensCompletion());
    }

    /** Counts one record given by its parts. */
    void count(
            Instant createdAt,
            Optional<String> referer,
            Optional<String> title,
            List<String> categories,
            long promptTokens,
            long completionTokens) {
        Optional<String> app = AppIdentity.of(referer, title);
        if (app.isEmpty()) {
            return;
        }
        String date = LocalDate.ofInstant(createdAt, ZoneOffset.UTC).toString();
        Counts counts = days.computeIfAbsent(new Day(date, app.get()), d -> new Counts());
        counts.requests++;
        counts.promptTokens += promptTokens;
        counts.completionTokens += completionTokens;
        Seen seen = apps.computeIfAbsent(app.get(), a -> new Seen());
        title.filter(t -> !t.isBlank()).ifPresent(t -> seen.title = Optional.of(t));
        seen.categories = AppIdentity.mergeCategories(seen.categories, categories);
    }

    /** Adds what was counted to the stored totals. Must run inside a transaction that holds the write lock. */
    void addTo(Connection c) throws SQLException {
        try (PreparedStatement write = c.prepareStatement(ADD_DAY)) {
            for (Map.Entry<Day, Counts> e : days.entrySet()) {
                write.setString(1, e.getKey().date());
                write.setString(2, e.getKey().app());
                write.setLong(3, e.getValue().requests);
                write.setLong(4, e.getValue().promptTokens);
                write.setLong(5, e.getValue().completionTokens);
                write.addBatch();
            }
            write.executeBatch();
        }
        try (PreparedStatement read = c.prepareStatement(STORED_CATEGORIES);
                PreparedStatement write = c.prepareStatement(ADD_APP)) {
            for (Map.Entry<String, Seen> e : apps.entrySet()) {
                List<String> categories =
                        AppIdentity.mergeCategories(storedCategories(read, e.getKey()), e.getValue().categories);
                write.setString(1, e.getKey());
                write.setString(2, e.getValue().title.orElse(null));
                write.setString(3, String.join(",", categories));
                write.addBatch();
            }
            write.executeBatch();
        }
    }

    private static List<String> storedCategories(PreparedStatement read, String app) throws SQLException {
        read.setString(1, app);
        try (ResultSet rs = read.executeQuery()) {
            return rs.next() ? categories(rs.getString(1)) : List.of();
        }
    }

    private static List<String> categories(String stored) {
        return stored.isEmpty() ? List.of() : Arrays.asList(stored.split(","));
    }

    /** The ranking of a span of days, from the app tables alone. */
    static List<AppUsage> read(Connection c, LocalDate first, LocalDate last, int limit) throws SQLException {
        if (last.isBefore(first) || limit < 1) {
            throw new IllegalArgumentException("no apps to rank from " + first + " to " + last + ", limit " + limit);
        }
        List<AppUsage> ranking = new ArrayList<>(Math.min(limit, 100));
        try (PreparedStatement ps = c.prepareStatement(RANKING_QUERY)) {
            ps.setString(1, first.toString());
            ps.setString(2, last.toString());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ranking.add(new AppUsage(
                            rs.getString(1),
                            Optional.ofNullable(rs.getString(2)),
                            categories(rs.getString(3)),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6)));
                }
            }
        }
        return ranking;
    }
}
