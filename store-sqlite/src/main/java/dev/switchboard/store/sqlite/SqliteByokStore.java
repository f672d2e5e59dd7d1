package dev.switchboard.store.sqlite;

import dev.switchboard.core.byok.ByokKey;
import dev.switchboard.core.byok.SealedSecret;
import dev.switchboard.core.storage.ByokStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * {@link ByokStore} over the {@code byok_keys} table: the sealed secret as its master key id, nonce and
 * ciphertext, never the secret. Failures are classified by {@link SqliteFailures}.
 */
final class SqliteByokStore implements ByokStore {
    private static final String COLUMNS = "id, workspace_id, provider, name, label, disabled, is_fallback, always_use,"
            + " sort_order, allowed_models, allowed_api_key_hashes, master_key_id, nonce, ciphertext, created_at,"
            + " updated_at";
    private static final String LIST_SEPARATOR = ",";

    private final DataSource dataSource;
    private final SqliteFailures failures;

    SqliteByokStore(DataSource dataSource, SqliteFailures failures) {
        this.dataSource = dataSource;
        this.failures = failures;
    }

    @Override
    public void insert(ByokKey key) {
        write("INSERT INTO byok_keys (" + COLUMNS + ") VALUES (?" + ", ?".repeat(15) + ")", ps -> {
            ps.setString(1, key.id());
            bindSettings(ps, 2, key);
            ps.setString(15, key.createdAt().toString());
            ps.setString(16, key.updatedAt().toString());
        });
    }

    @Override
    public List<ByokKey> all() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM byok_keys");
                ResultSet rs = ps.executeQuery()) {
            List<ByokKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(read(rs));
            }
            keys.sort(Comparator.comparing(ByokKey::createdAt).thenComparing(ByokKey::id));
            return keys;
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }

    @Override
    public boolean update(ByokKey key) {
        return write(
                        "UPDATE byok_keys SET workspace_id = ?, provider = ?, name = ?, label = ?, disabled = ?,"
                                + " is_fallback = ?, always_use = ?, sort_order = ?, allowed_models = ?,"
                                + " allowed_api_key_hashes = ?, master_key_id = ?, nonce = ?, ciphertext = ?,"
                                + " updated_at = ? WHERE id = ?",
                        ps -> {
                            bindSettings(ps, 1, key);
                            ps.setString(14, key.updatedAt().toString());
                            ps.setString(15, key.id());
                        })
                == 1;
    }

    @Override
    public boolean delete(String id) {
        return write("DELETE FROM byok_keys WHERE id = ?", ps -> ps.setString(1, id)) == 1;
    }

    /** Thirteen columns from {@code first} on: workspace_id up to ciphertext. */
    private static void bindSettings(PreparedStatement ps, int first, ByokKey key) throws SQLException {
        int i = first;
        ps.setString(i++, key.workspaceId());
        ps.setString(i++, key.provider());
        ps.setString(i++, key.name().orElse(null));
        ps.setString(i++, key.label());
        ps.setInt(i++, key.disabled() ? 1 : 0);
        ps.setInt(i++, key.fallback() ? 1 : 0);
        ps.setInt(i++, key.alwaysUse() ? 1 : 0);
        ps.setInt(i++, key.sortOrder());
        ps.setString(
                i++,
                key.allowedModels().map(l -> String.join(LIST_SEPARATOR, l)).orElse(null));
        ps.setString(
                i++,
                key.allowedKeyHashes().map(l -> String.join(LIST_SEPARATOR, l)).orElse(null));
        SealedSecret sealed = key.sealed();
        ps.setString(i++, sealed.masterKeyId());
        ps.setBytes(i++, sealed.nonce());
        ps.setBytes(i, sealed.ciphertext());
    }

    private static ByokKey read(ResultSet rs) throws SQLException {
        return new ByokKey(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Optional.ofNullable(rs.getString(4)),
                rs.getString(5),
                rs.getInt(6) == 1,
                rs.getInt(7) == 1,
                rs.getInt(8) == 1,
                rs.getInt(9),
                list(rs.getString(10)),
                list(rs.getString(11)),
                Instant.parse(rs.getString(15)),
                Instant.parse(rs.getString(16)),
                new SealedSecret(rs.getString(12), rs.getBytes(13), rs.getBytes(14)));
    }

    private static Optional<List<String>> list(@Nullable String column) {
        if (column == null) {
            return Optional.empty();
        }
        return Optional.of(column.isEmpty() ? List.of() : List.of(column.split(LIST_SEPARATOR)));
    }

    private int write(String sql, SqliteWrites.Binder binder) {
        return SqliteWrites.write(dataSource, failures, sql, binder);
    }
}
