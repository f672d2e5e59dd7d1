package dev.switchboard.store.sqlite;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the numbered schema scripts under {@code db/sqlite/} that the database has not seen, each in
 * its own transaction, recording the version in {@code PRAGMA user_version}.
 */
final class SqliteMigrations {
    private static final List<String> SCRIPTS = List.of("V1__keys_and_generations.sql");
    private final DataSource dataSource;

    SqliteMigrations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void apply() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            int current;
            try (var rs = statement.executeQuery("PRAGMA user_version")) {
                current = rs.next() ? rs.getInt(1) : 0;
            }
            for (int version = current + 1; version <= SCRIPTS.size(); version++) {
                connection.setAutoCommit(false);
                for (String sql : read(SCRIPTS.get(version - 1)).split(";\\s*\\n")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                statement.execute("PRAGMA user_version = " + version);
                connection.commit();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
    }

    private static String read(String script) {
        try (InputStream in = SqliteMigrations.class.getClassLoader().getResourceAsStream("db/sqlite/" + script)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable migration " + script, e);
        }
    }
}
