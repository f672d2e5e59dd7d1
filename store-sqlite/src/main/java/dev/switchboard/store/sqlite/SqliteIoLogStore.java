package dev.switchboard.store.sqlite;

import dev.switchboard.core.storage.IoLogStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link IoLogStore} over the {@code io_logs} table. Times are stored as ISO-8601 text with a fixed
 * number of fraction digits (milliseconds), so that comparing the text compares the instants.
 */
final class SqliteIoLogStore implements IoLogStore {
    private final DataSource dataSource;
    private final SqliteFailures failures;

    SqliteIoLogStore(DataSource dataSource, SqliteFailures failures) {
        this.dataSource = dataSource;
        this.failures = failures;
    }

    @Override
    public void insert(Entry entry) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO io_logs (generation_id, created_at, key_hash,"
                        + " workspace_id, input, output, truncated) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (generation_id) DO NOTHING")) {
            ps.setString(1, entry.generationId());
            ps.setString(2, timestamp(entry.createdAt()));
            ps.setString(3, entry.keyHash());
            ps.setString(4, entry.workspaceId());
            ps.setString(5, entry.input());
            ps.setString(6, entry.output());
            ps.setInt(7, entry.truncated() ? 1 : 0);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public Optional<Entry> find(String generationId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT created_at, key_hash, workspace_id, input, output,"
                        + " truncated FROM io_logs WHERE generation_id = ?")) {
            ps.setString(1, generationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Entry(
                        generationId,
                        Instant.parse(rs.getString(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6) == 1));
            }
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public boolean delete(String generationId) {
        return update("DELETE FROM io_logs WHERE generation_id = ?", generationId) == 1;
    }

    @Override
    public int deleteBefore(Instant cutoff) {
        return update("DELETE FROM io_logs WHERE created_at < ?", timestamp(cutoff));
    }

    private int update(String sql, String value) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    /** {@code 2026-12-05T10:00:00.000Z}: always three fraction digits, so text order is time order. */
    private static String timestamp(Instant at) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(at);
    }
}
