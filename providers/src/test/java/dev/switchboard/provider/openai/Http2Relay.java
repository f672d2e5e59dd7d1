package dev.switchboard.provider.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of an h2c upstream: it passes bytes both ways unchanged, counts the
 * connections it relayed and the {@code RST_STREAM} frames the client sent, and can cut every connection
 * at once, as a network failure or an upstream crash would. A test instrument; one virtual thread per
 * direction per connection. Thread-safe.
 */
final class Http2Relay implements AutoCloseable {
    /** {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}: what a client sends before its first frame. */
    private static final int PREFACE_BYTES = 24;

    private static final int FRAME_HEAD_BYTES = 9;
    private static final int RST_STREAM = 0x3;

    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();

    Http2Relay(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("relay-accept").start(this::acceptLoop);
    }

    /** The OpenAI base URL through this relay. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
    }

    /** Connections relayed since start. */
    int connections() {
        return connections.get();
    }

    /** {@code RST_STREAM} frames clients sent since start. */
    int resets() {
        return resets.get();
    }

    /** Closes every relayed connection, both sides, without a word to either. */
    void cutAll() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> framesToUpstream(client, upstream));
                Thread.ofVirtual().start(() -> bytesToClient(upstream, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Passes the client's preface and then frame after frame, counting the resets among them. */
    private void framesToUpstream(Socket client, Socket upstream) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = upstream.getOutputStream();
            out.write(in.readNBytes(PREFACE_BYTES));
            out.flush();
            while (true) {
                byte[] head = in.readNBytes(FRAME_HEAD_BYTES);
                if (head.length < FRAME_HEAD_BYTES) {
                    return;
                }
                int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
                if (head[3] == RST_STREAM) {
                    resets.incrementAndGet();
                }
                out.write(head);
                out.write(in.readNBytes(length));
                out.flush();
            }
        } catch (IOException e) {
            // one side is gone; the finally ends the other
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static void bytesToClient(Socket upstream, Socket client) {
        try {
            upstream.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException e) {
            // one side is gone; the finally ends the other
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
