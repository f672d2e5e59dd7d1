package dev.switchboard.server.http;

import dev.switchboard.server.testing.GatewayHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A client connection to the gateway that sends bytes exactly as written and reads the response
 * byte by byte, so a test sees the framing itself: the status line, every header, chunk-size lines if
 * any, and whether the server closed the connection. Every read times out after ten seconds, so no
 * test hangs on a server that neither answers nor closes.
 */
final class RawHttp implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    static RawHttp connect(GatewayHarness gateway) {
        try {
            Socket socket = new Socket(
                    java.net.InetAddress.getLoopbackAddress(), gateway.gateway().port());
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request head with CRLF line ends and the blank line after the last header. */
    static String head(String requestLine, String... headers) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    RawHttp send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a status line and the headers after it. */
    Head readHead() {
        String statusLine = readLine().orElseThrow(() -> new AssertionError("the connection closed before a response"));
        List<String> headers = new ArrayList<>();
        for (String line = readLine().orElse("");
                !line.isEmpty();
                line = readLine().orElse("")) {
            headers.add(line);
        }
        return new Head(statusLine, headers);
    }

    /** Reads a whole response whose body has a {@code Content-Length}. */
    Response readResponse() {
        Head head = readHead();
        String length =
                head.header("Content-Length").orElseThrow(() -> new AssertionError("no Content-Length in " + head));
        return new Response(head, new String(readBytes(Integer.parseInt(length)), StandardCharsets.UTF_8));
    }

    /** Reads one line without its CRLF (or LF); empty once the server has closed the connection. */
    Optional<String> readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = read(); b != '\n'; b = read()) {
            if (b < 0) {
                return line.size() == 0 ? Optional.empty() : Optional.of(line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return Optional.of(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }

    /** Everything up to the server's close of the connection. */
    String readToEnd() {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        for (int b = read(); b >= 0; b = read()) {
            rest.write(b);
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    /** Whether the server has closed the connection: the next read finds the end of the stream. */
    boolean closedByServer() {
        return read() < 0;
    }

    private byte[] readBytes(int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            int b = read();
            if (b < 0) {
                throw new AssertionError("the connection closed after " + i + " of " + count + " body bytes");
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }

    private int read() {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed within " + READ_TIMEOUT_MILLIS + " ms", e);
        } catch (IOException e) {
            // a reset after the server has closed counts as the end of the stream
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was wanted
        }
    }

    /** A status line and its headers, in the order received. */
    record Head(String statusLine, List<String> headers) {
        int status() {
            return Integer.parseInt(statusLine.split(" ", -1)[1]);
        }

        /** The value of the first header of that name. */
        Optional<String> header(String name) {
            return values(name).stream().findFirst();
        }

        List<String> values(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream()
                    .filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip())
                    .toList();
        }
    }

    /** A response read by its {@code Content-Length}. */
    record Response(Head head, String body) {
        int status() {
            return head.status();
        }
    }
}
