package dev.switchboard.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes written to a gateway over a plain socket and everything it answered until it closed the
 * connection or went quiet, for tests of HTTP framing that no client library would produce.
 *
 * @param received the bytes the server sent
 * @param closed   true when the server closed the connection; false when it went quiet instead
 */
record RawExchange(String received, boolean closed) {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

    /** Sends {@code request} as it is and reads until the server closes or is quiet for {@code quiet}. */
    static RawExchange send(URI server, byte[] request, Duration quiet) {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout((int) quiet.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException closedWhileSending) {
                // the server may answer and close before the whole request is sent (a body over the
                // limit, say); a client then reads the answer it was sent, as this one does
            }
            return readUntilClosedOrQuiet(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawExchange send(URI server, String request, Duration quiet) {
        return send(server, request.getBytes(StandardCharsets.ISO_8859_1), quiet);
    }

    static RawExchange readUntilClosedOrQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            return new RawExchange(out.toString(StandardCharsets.ISO_8859_1), true);
        } catch (SocketTimeoutException quiet) {
            return new RawExchange(out.toString(StandardCharsets.ISO_8859_1), false);
        } catch (IOException reset) {
            // a reset after the answer is the server closing too
            return new RawExchange(out.toString(StandardCharsets.ISO_8859_1), true);
        }
    }

    /** The status codes of every response received, in order. */
    List<Integer> statuses() {
        List<Integer> statuses = new ArrayList<>();
        Matcher matcher = STATUS_LINE.matcher(received);
        while (matcher.find()) {
            statuses.add(Integer.parseInt(matcher.group(1)));
        }
        return statuses;
    }
}
