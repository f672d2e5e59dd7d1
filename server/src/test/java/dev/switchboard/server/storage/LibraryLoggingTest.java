package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.store.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HikariCP logs through slf4j, and the server's runtime classpath binds slf4j to java.util.logging,
 * where the gateway's logging configuration applies to it like to everything else. Without the
 * binding, slf4j would drop every record, warnings and errors included.
 */
class LibraryLoggingTest {

    @Test
    void hikariLogsThroughJavaUtilLogging(@TempDir Path dir) {
        Logger hikari = Logger.getLogger("com.zaxxer.hikari");
        Level configured = hikari.getLevel();
        boolean toParents = hikari.getUseParentHandlers();
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        hikari.setLevel(Level.ALL);
        hikari.setUseParentHandlers(false);
        hikari.addHandler(capture);
        try (SqliteStorage ignored = SqliteStorage.open(dir.resolve("logging.db"))) {
            assertThat(records)
                    .as("records of the pool starting")
                    .isNotEmpty()
                    .allSatisfy(record -> assertThat(record.getLoggerName()).startsWith("com.zaxxer.hikari"));
        } finally {
            hikari.removeHandler(capture);
            hikari.setUseParentHandlers(toParents);
            hikari.setLevel(configured);
        }
    }
}
