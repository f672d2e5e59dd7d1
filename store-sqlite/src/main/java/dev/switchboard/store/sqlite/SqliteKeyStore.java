package dev.switchboard.store.sqlite;

import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.LimitReset;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.storage.KeyStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** {@link KeyStore} over the {@code api_keys} table. Failures are classified by {@link SqliteFailures}. */
final class SqliteKeyStore implements KeyStore {
    private static final String COLUMNS = "hash, name, label, disabled, management, created_at, updated_at,"
            + " workspace_id, limit_usd, limit_reset, include_byok_in_limit, expires_at, requests_per_minute,"
            + " tokens_per_minute";
    private final DataSource dataSource;
    private final SqliteFailures failures;

    SqliteKeyStore(DataSource dataSource, SqliteFailures failures) {
        this.dataSource = dataSource;
        this.failures = failures;
    }

    @Override
    public void insert(ApiKey key) {
        update("INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, key.hash());
            ps.setString(2, key.name());
            ps.setString(3, key.label());
            ps.setInt(4, key.disabled() ? 1 : 0);
            ps.setInt(5, key.management() ? 1 : 0);
            ps.setString(6, key.createdAt().toString());
            ps.setString(7, key.updatedAt().toString());
            ps.setString(8, key.workspaceId());
            bindSpending(ps, 9, key.spending());
            bindRateLimit(ps, 13, key.rateLimit());
        });
    }

    @Override
    public Optional<ApiKey> find(String hash) {
        List<ApiKey> found = query("SELECT " + COLUMNS + " FROM api_keys WHERE hash = ?", hash);
        return found.stream().findFirst();
    }

    @Override
    public List<ApiKey> all() {
        // sorted as instants: the stored text has a variable number of fraction digits, so ORDER BY on it
        // would put "...T12:00:00.5Z" before "...T12:00:00Z"
        List<ApiKey> keys = query("SELECT " + COLUMNS + " FROM api_keys", null);
        keys.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::hash));
        return keys;
    }

    @Override
    public boolean update(ApiKey key) {
        return update(
                        "UPDATE api_keys SET name = ?, disabled = ?, updated_at = ?, limit_usd = ?, limit_reset = ?,"
                                + " include_byok_in_limit = ?, expires_at = ?, requests_per_minute = ?,"
                                + " tokens_per_minute = ? WHERE hash = ?",
                        ps -> {
                            ps.setString(1, key.name());
                            ps.setInt(2, key.disabled() ? 1 : 0);
                            ps.setString(3, key.updatedAt().toString());
                            bindSpending(ps, 4, key.spending());
                            bindRateLimit(ps, 8, key.rateLimit());
                            ps.setString(10, key.hash());
                        })
                == 1;
    }

    /** The four spending columns from {@code first} on: limit, reset, BYOK flag, expiry. */
    private static void bindSpending(PreparedStatement ps, int first, ApiKey.Spending spending) throws SQLException {
        ps.setString(first, spending.limit().map(BigDecimal::toPlainString).orElse(null));
        ps.setString(first + 1, spending.reset().map(LimitReset::wireName).orElse(null));
        ps.setInt(first + 2, spending.includeByokInLimit() ? 1 : 0);
        ps.setString(first + 3, spending.expiresAt().map(Instant::toString).orElse(null));
    }

    private static ApiKey.Spending spending(ResultSet rs, int first) throws SQLException {
        String limit = rs.getString(first);
        String reset = rs.getString(first + 1);
        String expires = rs.getString(first + 3);
        return new ApiKey.Spending(
                Optional.ofNullable(limit).map(BigDecimal::new),
                Optional.ofNullable(reset).flatMap(LimitReset::parse),
                rs.getInt(first + 2) == 1,
                Optional.ofNullable(expires).map(Instant::parse));
    }

    /** The two rate columns from {@code first} on: requests, then tokens per minute; NULL for none. */
    private static void bindRateLimit(PreparedStatement ps, int first, RateLimit rateLimit) throws SQLException {
        bindOptional(ps, first, rateLimit.requestsPerMinute());
        bindOptional(ps, first + 1, rateLimit.tokensPerMinute());
    }

    private static void bindOptional(PreparedStatement ps, int index, OptionalLong value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.getAsLong());
        } else {
            ps.setNull(index, Types.INTEGER);
        }
    }

    private static RateLimit rateLimit(ResultSet rs, int first) throws SQLException {
        return new RateLimit(optionalLong(rs, first), optionalLong(rs, first + 1));
    }

    private static OptionalLong optionalLong(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    @Override
    public boolean delete(String hash) {
        return update("DELETE FROM api_keys WHERE hash = ?", ps -> ps.setString(1, hash)) == 1;
    }

    private int update(String sql, SqliteWrites.Binder binder) {
        return SqliteWrites.write(dataSource, failures, sql, binder);
    }

    private List<ApiKey> query(String sql, @Nullable String hash) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (hash != null) {
                ps.setString(1, hash);
            }
            List<ApiKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiKey(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getInt(4) == 1,
                            rs.getInt(5) == 1,
                            Instant.parse(rs.getString(6)),
                            Instant.parse(rs.getString(7)),
                            rs.getString(8),
                            spending(rs, 9),
                            rateLimit(rs, 13)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }
}
