package dev.switchboard.provider.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 upstream that keeps connections alive and, with a given probability after each
 * answer, closes the connection after a random idle pause of up to {@code maxIdleMillis}: what a
 * provider's keep-alive timeout does, at random moments, so that some closes land just as a client
 * takes the connection from its pool. Every request gets a 200 with a small JSON body. A test
 * instrument. Thread-safe; one virtual thread per connection.
 */
final class KeepAliveUpstream implements AutoCloseable {
    private static final byte[] BODY = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + BODY.length + "\r\n\r\n" + new String(BODY, StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final double closeProbability;
    private final int maxIdleMillis;
    private final boolean dropRequests;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedIdle = new AtomicInteger();

    KeepAliveUpstream(double closeProbability, int maxIdleMillis) throws IOException {
        this(closeProbability, maxIdleMillis, false);
    }

    /** An upstream that reads each request and closes the connection without answering. */
    static KeepAliveUpstream droppingEveryRequest() throws IOException {
        return new KeepAliveUpstream(0, 0, true);
    }

    private KeepAliveUpstream(double closeProbability, int maxIdleMillis, boolean dropRequests) throws IOException {
        this.dropRequests = dropRequests;
        this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        this.closeProbability = closeProbability;
        this.maxIdleMillis = maxIdleMillis;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
    }

    int requests() {
        return requests.get();
    }

    int connections() {
        return connections.get();
    }

    /** Connections this upstream closed while idle. */
    int closedIdle() {
        return closedIdle.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                long length = readHead(in);
                if (length < 0) {
                    return; // the client closed the connection
                }
                in.readNBytes((int) length);
                requests.incrementAndGet();
                if (dropRequests) {
                    return;
                }
                out.write(ANSWER);
                out.flush();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                if (random.nextDouble() < closeProbability) {
                    Thread.sleep(random.nextInt(maxIdleMillis + 1));
                    closedIdle.incrementAndGet();
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away mid-exchange; nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a request head and returns its Content-Length (0 without one), or -1 at the end of the stream. */
    private static long readHead(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        long length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            if (b == '\n') {
                String text = line.toString().strip();
                if (text.isEmpty()) {
                    return length;
                }
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(
                            lower.substring("content-length:".length()).strip());
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
