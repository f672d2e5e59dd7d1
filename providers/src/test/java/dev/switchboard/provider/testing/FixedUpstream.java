package dev.switchboard.provider.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A loopback upstream that answers every request with the same bytes, for the answers the simulator
 * cannot give (bodies it does not generate, bytes that are not HTTP at all). Each connection is read
 * up to the end of its request (headers and {@code Content-Length} body), answered, and closed.
 * Thread-safe; one virtual thread per connection.
 */
public final class FixedUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] answer;

    private FixedUpstream(ServerSocket server, byte[] answer) {
        this.server = server;
        this.answer = answer;
        Thread.ofVirtual().name("fixed-upstream-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** An HTTP/1.1 response with this status, content type and body, closing the connection. */
    public static FixedUpstream answering(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " Fixed\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        return sendingRaw(concat(head.getBytes(StandardCharsets.US_ASCII), bytes));
    }

    /** A 200 {@code text/event-stream} response whose body is these SSE events, each given as its JSON payload, then {@code [DONE]}. */
    public static FixedUpstream streaming(String... payloads) {
        StringBuilder body = new StringBuilder();
        for (String payload : payloads) {
            body.append("data: ").append(payload).append("\n\n");
        }
        return answering(200, "text/event-stream", body.append("data: [DONE]\n\n").toString());
    }

    /** Exactly these bytes, whatever they are, then the connection closes. */
    public static FixedUpstream sendingRaw(byte[] bytes) {
        try {
            return new FixedUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), bytes.clone());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> answer(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void answer(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            in.readNBytes(contentLength(readHead(in)));
            OutputStream out = socket.getOutputStream();
            out.write(answer);
            out.flush();
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // the client left early; nothing to answer
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).strip());
            }
        }
        return 0;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
