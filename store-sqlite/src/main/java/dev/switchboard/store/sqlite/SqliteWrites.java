package dev.switchboard.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One statement that changes rows, on a connection of its own, its failure classified. */
final class SqliteWrites {
    private SqliteWrites() {}

    /** Sets a statement's parameters. */
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Runs {@code sql} with the parameters {@code binder} sets; returns the rows it changed. */
    static int write(DataSource dataSource, SqliteFailures failures, String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failures.classify(e);
        }
    }
}
