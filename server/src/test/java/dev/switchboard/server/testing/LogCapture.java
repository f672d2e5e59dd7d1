package dev.switchboard.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything the process logs or prints while it is open: every {@code java.util.logging} record that
 * reaches the root logger (where {@code System.Logger} and Helidon log), formatted with its stack trace,
 * causes and suppressed exceptions included; and all of {@code System.out} and {@code System.err}, which
 * still reach the console. The gateway's own loggers are opened to every level while capturing, so a
 * debug line cannot hide a leak.
 */
public final class LogCapture implements AutoCloseable {
    private static final String OWN_LOGGERS = "dev.switchboard";
    private final List<String> records = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Logger root = Logger.getLogger("");
    private final Logger own = Logger.getLogger(OWN_LOGGERS);
    private final Level ownLevel = own.getLevel();
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            records.add(formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture() {
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        own.setLevel(Level.ALL);
        System.setOut(tee(out));
        System.setErr(tee(err));
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** The captured log records and console output so far, as one text. */
    public String text() {
        String output;
        synchronized (printed) {
            output = printed.toString(StandardCharsets.UTF_8);
        }
        return String.join("", records) + output;
    }

    public int recordCount() {
        return records.size();
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        own.setLevel(ownLevel);
        root.removeHandler(handler);
    }

    private PrintStream tee(PrintStream console) {
        return new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        console.write(b);
                        synchronized (printed) {
                            printed.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        console.write(b, off, len);
                        synchronized (printed) {
                            printed.write(b, off, len);
                        }
                    }
                },
                true,
                StandardCharsets.UTF_8);
    }
}
