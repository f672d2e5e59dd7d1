package dev.switchboard.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.core.storage.ByokStore;
import dev.switchboard.core.storage.CreditStore;
import dev.switchboard.core.storage.GenerationStore;
import dev.switchboard.core.storage.IoLogStore;
import dev.switchboard.core.storage.KeyStore;
import dev.switchboard.core.storage.PresetStore;
import dev.switchboard.core.storage.ReportStore;
import dev.switchboard.core.storage.Storage;
import dev.switchboard.core.storage.StorageProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded backend: one SQLite file in WAL mode behind a small HikariCP pool.
 *
 * <p>Design note. SQLite allows one writer at a time. Generation records arrive in batches from one
 * writer thread and key changes are rare, so a pool of a few connections with a busy timeout is
 * enough; reads proceed beside the writer thanks to WAL. {@code synchronous=NORMAL} in WAL mode keeps
 * every committed transaction across a process crash (a power loss may lose the last ones).
 *
 * <p>The file is created, if it has to be, by one connection before the pool opens, and only after
 * {@link LeftoverFiles} has checked that no earlier database was lost at that path. The pool's
 * connections may open the file but never create it, and the pool keeps them for the life of the
 * process (fixed size, no maximum lifetime). So a file deleted under the running gateway does not
 * come back as a new empty file that half the connections use; {@link DatabaseFileWatch} notices the
 * loss instead, on each generation write, on each {@link #problem()} call and every
 * {@link Options#checkInterval()}.
 *
 * <p>Opening brings the schema up to date ({@link SqliteMigrations}) before the storage is returned.
 * The gateway opens it through {@link SqliteBackend} from a {@code sqlite:PATH} storage URL.
 */
public final class SqliteStorage implements Storage {
    private static final int POOL_SIZE = 4;
    /** sqlite-jdbc's {@code open_mode}: SQLITE_OPEN_READWRITE without SQLITE_OPEN_CREATE. */
    private static final String OPEN_EXISTING_ONLY = "2";

    private final Path file;
    private final HikariDataSource dataSource;
    private final ScheduledExecutorService watcher;
    private final DatabaseFileWatch watch;
    private final SqliteKeyStore keys;
    private final SqliteCreditStore credits;
    private final SqliteIoLogStore ioLogs;
    private final SqliteGenerationStore generations;
    private final SqlitePresetStore presets;
    private final SqliteReportStore reports;
    private final SqliteByokStore byokKeys;

    /**
     * How to open the database.
     *
     * @param allowNewDatabase create a new database even where an earlier one was lost (see {@link LeftoverFiles})
     * @param checkInterval    how often the file is checked when nothing else checks it
     * @param clock            stamps the names of saved copies and of files moved aside
     */
    public record Options(boolean allowNewDatabase, Duration checkInterval, Clock clock) {
        public Options {
            Objects.requireNonNull(checkInterval, "checkInterval");
            Objects.requireNonNull(clock, "clock");
            if (checkInterval.isNegative() || checkInterval.isZero()) {
                throw new IllegalArgumentException("checkInterval must be positive");
            }
        }

        /** No new database over a lost one; the file checked every 5 s; the system clock. */
        public static Options defaults() {
            return new Options(false, Duration.ofSeconds(5), Clock.systemUTC());
        }

        public Options allowingNewDatabase(boolean allow) {
            return new Options(allow, checkInterval, clock);
        }
    }

    private SqliteStorage(Path file, HikariDataSource dataSource, ScheduledExecutorService watcher, Clock clock) {
        this.file = file;
        this.dataSource = dataSource;
        this.watcher = watcher;
        this.watch = new DatabaseFileWatch(file, dataSource, watcher, clock);
        SqliteFailures failures = new SqliteFailures(file);
        this.keys = new SqliteKeyStore(dataSource, failures);
        this.credits = new SqliteCreditStore(dataSource, failures);
        this.ioLogs = new SqliteIoLogStore(dataSource, failures);
        this.generations = new SqliteGenerationStore(dataSource, failures, watch::check);
        this.presets = new SqlitePresetStore(dataSource, failures);
        this.reports = new SqliteReportStore(dataSource, failures);
        this.byokKeys = new SqliteByokStore(dataSource, failures);
    }

    /** Opens (creating if needed) the database file with the {@link Options#defaults() default options}. */
    public static SqliteStorage open(Path file) {
        return open(file, Options.defaults());
    }

    /**
     * Opens (creating if needed) the database file and brings its schema up to date.
     *
     * @throws IllegalStateException when the file is missing but an earlier database left files there
     *                               (unless {@link Options#allowNewDatabase()}), or it cannot be opened
     */
    public static SqliteStorage open(Path file, Options options) {
        return open(file, options, new Properties());
    }

    /** Like {@link #open(Path, Options)}, with extra sqlite-jdbc connection properties (pragmas) for tests. */
    static SqliteStorage open(Path file, Options options, Properties connectionProperties) {
        Path absolute = file.toAbsolutePath();
        createDirectory(absolute);
        new LeftoverFiles(absolute, options.clock()).check(options.allowNewDatabase());
        if (!Files.exists(absolute)) {
            create(absolute);
        }
        HikariDataSource dataSource = pool(absolute, connectionProperties);
        try {
            new SqliteMigrations(dataSource).apply();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(task ->
                Thread.ofPlatform().daemon().name("switchboard-sqlite-watch").unstarted(task));
        try {
            SqliteStorage storage = new SqliteStorage(absolute, dataSource, watcher, options.clock());
            long every = options.checkInterval().toMillis();
            var unused = watcher.scheduleWithFixedDelay(storage::problem, every, every, TimeUnit.MILLISECONDS);
            return storage;
        } catch (RuntimeException e) {
            watcher.shutdownNow();
            dataSource.close();
            throw e;
        }
    }

    private static void createDirectory(Path file) {
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory for " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the database file, in WAL mode, with a connection of its own: the pool's cannot create files. */
    private static void create(Path file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + file + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(Path file, Properties connectionProperties) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setPoolName("switchboard-sqlite");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        config.setMaxLifetime(0);
        config.setIdleTimeout(0);
        config.addDataSourceProperty("open_mode", OPEN_EXISTING_ONLY);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", "10000");
        config.addDataSourceProperty("foreign_keys", "true");
        connectionProperties.forEach((key, value) -> config.addDataSourceProperty((String) key, value));
        return new HikariDataSource(config);
    }

    @Override
    public KeyStore keys() {
        return keys;
    }

    @Override
    public CreditStore credits() {
        return credits;
    }

    @Override
    public IoLogStore ioLogs() {
        return ioLogs;
    }

    @Override
    public GenerationStore generations() {
        return generations;
    }

    @Override
    public PresetStore presets() {
        return presets;
    }

    @Override
    public ReportStore reports() {
        return reports;
    }

    @Override
    public ByokStore byokKeys() {
        return byokKeys;
    }

    @Override
    public String describe() {
        return "SQLite " + file;
    }

    @Override
    public Optional<StorageProblem> problem() {
        return watch.check();
    }

    /** Stops the checks; when the file was lost, saves the final copy of the open database first. */
    @Override
    public void close() {
        watcher.shutdown();
        try {
            watcher.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watch.saveFinalCopy();
        dataSource.close();
    }
}
