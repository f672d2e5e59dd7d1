package dev.switchboard.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback upstream that takes requests and never answers them: each connection is held open, read
 * until the gateway closes it. It tells a test how many requests came and whether the gateway let go of
 * every one of them ({@link #awaitAllClosed}), which is how an abandoned attempt is seen to be cancelled
 * rather than left to hang. Thread-safe.
 */
public final class StallingUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final Thread acceptor;

    private StallingUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::accept);
    }

    public static StallingUpstream start() {
        try {
            return new StallingUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to configure as a provider's {@code base_url}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Waits until every accepted connection was closed by the gateway; false if one is still open at {@code limit}. */
    public boolean awaitAllClosed(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (open.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.incrementAndGet();
                Thread.ofVirtual().start(() -> holdUntilClosed(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void holdUntilClosed(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // the request, then nothing until the gateway closes its end
            }
        } catch (IOException e) {
            // a reset is a close too
        } finally {
            open.decrementAndGet();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor.interrupt();
    }
}
