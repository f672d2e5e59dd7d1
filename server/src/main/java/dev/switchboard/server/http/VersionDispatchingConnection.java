package dev.switchboard.server.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A connection that waits for the first request line, then lets Helidon's HTTP/1.1 connection serve
 * it: as it is, or through an {@link Http10Context} if the line ends in {@code HTTP/1.0}. The line is
 * only looked at, not consumed. Anything that is not an HTTP/1.0 line, including a line too long, a
 * malformed line end or an HTTP/2 preface, goes to Helidon unchanged, which answers it as it always
 * has. Only the first line decides: an HTTP/1.0 request after HTTP/1.1 ones on the same connection is
 * answered 505 as before (clients do not change version on a connection). Until the line has arrived
 * the connection counts as idle since it was opened, and closing it interrupts the wait; after that,
 * idle time, closing and interruptibility are the delegate's.
 */
final class VersionDispatchingConnection implements ServerConnection, InterruptableTask<Void> {
    private static final String HTTP_1_0 = " HTTP/1.0";
    private final ConnectionContext ctx;
    private final Http1ConnectionSelector http1;
    private final Http1Config config;
    private final long openedNanos = System.nanoTime();
    private volatile @Nullable Thread thread;
    private volatile @Nullable ServerConnection delegate;
    private volatile boolean closing;

    VersionDispatchingConnection(ConnectionContext ctx, Http1ConnectionSelector http1, Http1Config config) {
        this.ctx = ctx;
        this.http1 = http1;
        this.config = config;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        thread = Thread.currentThread();
        if (closing) {
            return;
        }
        boolean http10 = startsWithHttp10(ctx.dataReader(), config.maxPrologueLength());
        ServerConnection connection = http1.connection(http10 ? new Http10Context(ctx, config.maxHeadersSize()) : ctx);
        delegate = connection;
        if (closing) {
            return;
        }
        connection.handle(limit);
    }

    /** Whether the first line, once it has arrived, is an HTTP/1.0 request line. Consumes nothing. */
    static boolean startsWithHttp10(DataReader reader, int maxLineLength) {
        int end;
        try {
            end = reader.findNewLine(maxLineLength);
        } catch (DataReader.IncorrectNewLineException e) {
            return false;
        } catch (DataReader.InsufficientDataAvailableException e) {
            throw new CloseConnectionException("No data available", e);
        }
        return end < maxLineLength
                && end >= HTTP_1_0.length()
                && reader.getBuffer(end)
                        .readString(end, StandardCharsets.US_ASCII)
                        .endsWith(HTTP_1_0);
    }

    @Override
    public Duration idleTime() {
        ServerConnection current = delegate;
        return current == null ? Duration.ofNanos(System.nanoTime() - openedNanos) : current.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        closing = true;
        ServerConnection current = delegate;
        Thread waiting = thread;
        if (current != null) {
            current.close(interrupt);
        } else if (waiting != null) {
            waiting.interrupt();
        }
    }

    @Override
    public boolean canInterrupt() {
        ServerConnection current = delegate;
        return current == null || (current instanceof InterruptableTask<?> task && task.canInterrupt());
    }
}
