package dev.switchboard.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.core.storage.GenerationStore;
import dev.switchboard.core.storage.KeyStore;
import dev.switchboard.core.storage.Storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The embedded backend: one SQLite file in WAL mode behind a small HikariCP pool.
 *
 * <p>Design note. SQLite allows one writer at a time. Generation records arrive in batches from one
 * writer thread and key changes are rare, so a pool of a few connections with a busy timeout is
 * enough; reads proceed beside the writer thanks to WAL. {@code synchronous=NORMAL} in WAL mode keeps
 * every committed transaction across a process crash (a power loss may lose the last ones).
 */
public final class SqliteStorage implements Storage {
    private final Path file;
    private final HikariDataSource dataSource;
    private final SqliteKeyStore keys;
    private final SqliteGenerationStore generations;

    private SqliteStorage(Path file, HikariDataSource dataSource) {
        this.file = file;
        this.dataSource = dataSource;
        SqliteFailures failures = new SqliteFailures(file);
        this.keys = new SqliteKeyStore(dataSource, failures);
        this.generations = new SqliteGenerationStore(dataSource, failures, () -> { });
    }

    /** Opens (creating if needed) the database file and brings its schema up to date. */
    public static SqliteStorage open(Path file) {
        return open(file, new Properties());
    }

    /** Like {@link #open(Path)}, with extra sqlite-jdbc connection properties (pragmas) for tests. */
    static SqliteStorage open(Path file, Properties connectionProperties) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory for " + file + ": " + e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setPoolName("switchboard-sqlite");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", "10000");
        config.addDataSourceProperty("foreign_keys", "true");
        connectionProperties.forEach((key, value) -> config.addDataSourceProperty((String) key, value));
        HikariDataSource dataSource = new HikariDataSource(config);
        new SqliteMigrations(dataSource).apply();
        return new SqliteStorage(file, dataSource);
    }

    /** Opens the file named by a {@code sqlite:PATH} storage URL. */
    public static SqliteStorage openUrl(String url) {
        if (!url.startsWith("sqlite:")) {
            throw new IllegalArgumentException("not a sqlite: URL");
        }
        return open(Path.of(url.substring("sqlite:".length())));
    }

    @Override
    public KeyStore keys() {
        return keys;
    }

    @Override
    public GenerationStore generations() {
        return generations;
    }

    @Override
    public String describe() {
        return "SQLite " + file.toAbsolutePath();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
