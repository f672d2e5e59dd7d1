package dev.switchboard.core.generation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The lines one logger writes while open, with their levels ({@code System.Logger} logs through {@code java.util.logging}). */
final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private CapturedLog(String name) {
        logger = Logger.getLogger(name);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    static CapturedLog of(Class<?> type) {
        return new CapturedLog(type.getName());
    }

    /** The messages logged at exactly {@code level}. */
    List<String> at(Level level) {
        return records.stream()
                .filter(r -> r.getLevel().equals(level))
                .map(LogRecord::getMessage)
                .toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
