package dev.switchboard.testkit;

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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback upstream that answers with fixed bytes, for the answers the simulator cannot give (bodies
 * it does not generate, bytes that are not HTTP at all, a provider that fails in a particular way). Each
 * connection is read up to the end of its request (headers and {@code Content-Length} body), answered,
 * and closed. Thread-safe; one virtual thread per connection.
 *
 * <p>A test instrument, never part of the gateway.
 */
public final class FixedUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final Answer answer;
    private final AtomicInteger requests = new AtomicInteger();

    /** What to send for a request, given whether it asked for a stream ({@code Accept: text/event-stream}). */
    private interface Answer {
        byte[] bytes(boolean streaming);
    }

    private FixedUpstream(ServerSocket server, Answer answer) {
        this.server = server;
        this.answer = answer;
        Thread.ofVirtual().name("fixed-upstream-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** An HTTP/1.1 response with this status, content type and body, whatever was asked. */
    public static FixedUpstream answering(int status, String contentType, String body) {
        byte[] bytes = response(status, contentType, body);
        return start(streaming -> bytes);
    }

    /** A 200 {@code text/event-stream} response of these SSE events, each given as its JSON payload, then {@code [DONE]}. */
    public static FixedUpstream streaming(String... payloads) {
        return answering(200, "text/event-stream", sse(payloads));
    }

    /**
     * An OpenAI-style upstream: {@code completion} as the JSON answer to a non-streaming request, these
     * events (then {@code [DONE]}) to a streaming one.
     */
    public static FixedUpstream openAi(String completion, String... events) {
        byte[] json = response(200, "application/json", completion);
        byte[] stream = response(200, "text/event-stream", sse(events));
        return start(streaming -> streaming ? stream : json);
    }

    /**
     * A provider that fails its first {@code failures} requests with {@code status} (and a
     * {@code Retry-After} of {@code retryAfterSeconds} when that is not negative), then answers like
     * {@link #openAi}.
     */
    public static FixedUpstream failingFirst(
            int failures, int status, int retryAfterSeconds, String completion, String... events) {
        String retryAfter = retryAfterSeconds < 0 ? "" : "Retry-After: " + retryAfterSeconds + "\r\n";
        byte[] failure = ("HTTP/1.1 " + status + " Failing\r\nContent-Type: application/json\r\n" + retryAfter
                        + "Content-Length: 33\r\nConnection: close\r\n\r\n{\"error\":{\"message\":\"try later\"}}")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] json = response(200, "application/json", completion);
        byte[] stream = response(200, "text/event-stream", sse(events));
        AtomicInteger seen = new AtomicInteger();
        return start(streaming -> seen.incrementAndGet() <= failures ? failure : streaming ? stream : json);
    }

    /** Exactly these bytes, whatever they are, then the connection closes. */
    public static FixedUpstream sendingRaw(byte[] bytes) {
        byte[] copy = bytes.clone();
        return start(streaming -> copy);
    }

    private static FixedUpstream start(Answer answer) {
        try {
            return new FixedUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to configure as the provider's, {@code http://127.0.0.1:PORT/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
    }

    /** Requests answered so far. */
    public int requests() {
        return requests.get();
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
            Map<String, String> head = readHead(in);
            in.readNBytes(Integer.parseInt(head.getOrDefault("content-length", "0")));
            requests.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            out.write(answer.bytes(head.getOrDefault("accept", "").contains("text/event-stream")));
            out.flush();
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // the client left early; nothing to answer
        }
    }

    /** The request's header fields, names in lower case. */
    private static Map<String, String> readHead(InputStream in) throws IOException {
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
        Map<String, String> fields = new java.util.HashMap<>();
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n", -1)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(
                        line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    private static byte[] response(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " Fixed\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] both = new byte[headBytes.length + bytes.length];
        System.arraycopy(headBytes, 0, both, 0, headBytes.length);
        System.arraycopy(bytes, 0, both, headBytes.length, bytes.length);
        return both;
    }

    private static String sse(String... payloads) {
        StringBuilder body = new StringBuilder();
        for (String payload : payloads) {
            body.append("data: ").append(payload).append("\n\n");
        }
        return body.append("data: [DONE]\n\n").toString();
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
