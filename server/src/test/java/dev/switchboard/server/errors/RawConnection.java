package dev.switchboard.server.errors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One HTTP/1.1 exchange over a plain socket, so a test can read part of a streamed response and then
 * hang up, as a client that goes away does. Chunked framing is not decoded: the gateway writes each
 * event with one flush, so event lines arrive whole between the chunk-size lines.
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final Map<String, String> headers = new HashMap<>();
    private final String statusLine;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.statusLine = in.readLine();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
    }

    /** POSTs {@code body} and returns once the status line and headers have arrived. */
    static RawConnection post(URI url, String key, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + url.getPath() + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + "Authorization: Bearer " + key + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        try {
            Socket socket = new Socket(url.getHost(), url.getPort());
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code request} as it is, framing and all, to the host and port of {@code url}, then
     * half-closes the connection: the server sees the end of the request bytes, as it does when a
     * client sends a body shorter than it declared and stops.
     */
    static RawConnection send(URI url, byte[] request) {
        try {
            Socket socket = new Socket(url.getHost(), url.getPort());
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status code of the status line, e.g. 400. */
    int status() {
        return Integer.parseInt(statusLine.split(" ", -1)[1]);
    }

    /** Reads a body of the declared {@code Content-Length}. */
    String body() {
        String length = header("Content-Length");
        if (length == null) {
            throw new AssertionError("no Content-Length in " + statusLine + " " + headers);
        }
        char[] body = new char[Integer.parseInt(length)];
        try {
            int read = 0;
            while (read < body.length) {
                int n = in.read(body, read, body.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new String(body, 0, read);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String statusLine() {
        return statusLine;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Reads until {@code count} lines have matched; fails if the response ends first. */
    void readUntil(Predicate<String> matching, int count) {
        int seen = 0;
        try {
            while (seen < count) {
                String line = in.readLine();
                if (line == null) {
                    throw new AssertionError("the response ended after " + seen + " of " + count + " expected lines");
                }
                if (matching.test(line)) {
                    seen++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hangs up at once, unread data and all. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was wanted
        }
    }
}
