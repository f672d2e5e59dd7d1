package dev.switchboard.store.sqlite;

import dev.switchboard.core.preset.DesignatedPreset;
import dev.switchboard.core.preset.NewPresetVersion;
import dev.switchboard.core.preset.Preset;
import dev.switchboard.core.preset.PresetStatus;
import dev.switchboard.core.preset.PresetVersion;
import dev.switchboard.core.storage.Page;
import dev.switchboard.core.storage.PresetStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * {@link PresetStore} over the {@code presets} and {@code preset_versions} tables. Times are stored with
 * nine fraction digits, so that {@code ORDER BY updated_at} is the order of the instants. Adding a version
 * writes first ({@code INSERT ... ON CONFLICT DO NOTHING} of the preset), so its transaction holds
 * SQLite's write lock before it reads the highest version number. Failures are classified by
 * {@link SqliteFailures}; a failed write keeps its first exception.
 */
final class SqlitePresetStore implements PresetStore {
    private static final DateTimeFormatter SORTABLE =
            new DateTimeFormatterBuilder().appendInstant(9).toFormatter();
    private static final String PRESET_COLUMNS =
            "p.id, p.slug, p.name, p.status, p.designated_version_id, p.created_at, p.updated_at";
    private static final String VERSION_COLUMNS =
            "v.id, v.preset_id, v.version, v.system_prompt, v.config, v.creator_id, v.created_at";

    private final DataSource dataSource;
    private final SqliteFailures failures;

    SqlitePresetStore(DataSource dataSource, SqliteFailures failures) {
        this.dataSource = dataSource;
        this.failures = failures;
    }

    @Override
    public DesignatedPreset addVersion(NewPresetVersion version) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            SQLException failure = null;
            DesignatedPreset added = null;
            try {
                String presetId = createIfNew(c, version);
                insertVersion(c, presetId, nextNumber(c, presetId), version);
                designate(c, presetId, version);
                // read inside the transaction: after it, another writer's version may be the designated one
                added = findIn(c, version.slug())
                        .orElseThrow(() -> new SQLException("the preset just written is not there"));
                c.commit();
            } catch (SQLException e) {
                failure = e;
                rollback(c, failure);
            }
            restoreAutoCommit(c, failure);
            if (failure != null || added == null) {
                throw failure != null ? failure : new SQLException("no preset and no failure");
            }
            return added;
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    private static String createIfNew(Connection c, NewPresetVersion v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO presets (id, slug, name, status, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING")) {
            ps.setString(1, v.presetIdIfNew());
            ps.setString(2, v.slug());
            ps.setString(3, v.slug());
            ps.setString(4, PresetStatus.ACTIVE.wireName());
            ps.setString(5, sortable(v.createdAt()));
            ps.setString(6, sortable(v.createdAt()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM presets WHERE slug = ?")) {
            ps.setString(1, v.slug());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the preset was neither there nor inserted");
                }
                return rs.getString(1);
            }
        }
    }

    private static int nextNumber(Connection c, String presetId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM preset_versions WHERE preset_id = ?")) {
            ps.setString(1, presetId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void insertVersion(Connection c, String presetId, int number, NewPresetVersion v)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO preset_versions (id, preset_id, version,"
                + " system_prompt, config, creator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.versionId());
            ps.setString(2, presetId);
            ps.setInt(3, number);
            ps.setString(4, v.systemPrompt().orElse(null));
            ps.setString(5, v.config());
            ps.setString(6, v.creatorId());
            ps.setString(7, sortable(v.createdAt()));
            ps.executeUpdate();
        }
    }

    private static void designate(Connection c, String presetId, NewPresetVersion v) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE presets SET designated_version_id = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, v.versionId());
            ps.setString(2, sortable(v.createdAt()));
            ps.setString(3, presetId);
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<DesignatedPreset> find(String slug) {
        try (Connection c = dataSource.getConnection()) {
            return findIn(c, slug);
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    private static Optional<DesignatedPreset> findIn(Connection c, String slug) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + PRESET_COLUMNS + ", " + VERSION_COLUMNS
                + " FROM presets p JOIN preset_versions v ON v.id = p.designated_version_id WHERE p.slug = ?")) {
            ps.setString(1, slug);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new DesignatedPreset(preset(rs), version(rs, 8))) : Optional.empty();
            }
        }
    }

    @Override
    public Page<Preset> list(int offset, int limit) {
        try (Connection c = dataSource.getConnection()) {
            List<Preset> presets = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + PRESET_COLUMNS + " FROM presets p"
                    + " WHERE p.designated_version_id IS NOT NULL ORDER BY p.updated_at DESC, p.id LIMIT ? OFFSET ?")) {
                ps.setInt(1, limit);
                ps.setInt(2, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        presets.add(preset(rs));
                    }
                }
            }
            return new Page<>(
                    presets, count(c, "SELECT COUNT(*) FROM presets WHERE designated_version_id IS NOT NULL", null));
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public Page<PresetVersion> versions(String presetId, int offset, int limit) {
        try (Connection c = dataSource.getConnection()) {
            List<PresetVersion> versions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM preset_versions v"
                    + " WHERE v.preset_id = ? ORDER BY v.version LIMIT ? OFFSET ?")) {
                ps.setString(1, presetId);
                ps.setInt(2, limit);
                ps.setInt(3, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.add(version(rs, 1));
                    }
                }
            }
            return new Page<>(versions, count(c, "SELECT COUNT(*) FROM preset_versions WHERE preset_id = ?", presetId));
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public Optional<PresetVersion> version(String presetId, int number) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM preset_versions v"
                        + " WHERE v.preset_id = ? AND v.version = ?")) {
            ps.setString(1, presetId);
            ps.setInt(2, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(version(rs, 1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    private static long count(Connection c, String sql, @Nullable String presetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (presetId != null) {
                ps.setString(1, presetId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Preset preset(ResultSet rs) throws SQLException {
        return new Preset(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                PresetStatus.parse(rs.getString(4)),
                rs.getString(5),
                Instant.parse(rs.getString(6)),
                Instant.parse(rs.getString(7)));
    }

    /** The version whose columns begin at {@code first}. */
    private static PresetVersion version(ResultSet rs, int first) throws SQLException {
        return new PresetVersion(
                rs.getString(first),
                rs.getString(first + 1),
                rs.getInt(first + 2),
                Optional.ofNullable(rs.getString(first + 3)),
                rs.getString(first + 4),
                rs.getString(first + 5),
                Instant.parse(rs.getString(first + 6)));
    }

    private static String sortable(Instant instant) {
        return SORTABLE.format(instant);
    }

    private static void rollback(Connection c, SQLException failure) {
        try {
            c.rollback();
        } catch (SQLException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    private static void restoreAutoCommit(Connection c, @Nullable SQLException failure) throws SQLException {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }
}
