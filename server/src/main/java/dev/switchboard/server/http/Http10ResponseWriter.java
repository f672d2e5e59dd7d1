package dev.switchboard.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes Helidon's HTTP/1.1 response to an HTTP/1.0 client, and tells when it has been written whole.
 * A head that announces {@code Transfer-Encoding: chunked} loses that coding and the body after it
 * loses its framing, through a {@link ChunkedBodyDecoder}; the body then ends where the connection
 * does, which the head's {@code Connection: close} announces. A 1xx interim response, which an
 * HTTP/1.0 client must not get, is dropped. Every other byte passes unchanged, and each write to this
 * writer is one write (or none) to the socket, so a flushed event still leaves at once.
 *
 * <p>{@link #answered()} turns true at the end of the final response's body, as its framing gives it
 * (the last chunk, the {@code Content-Length}, or the head alone for 204 and 304). From then on the
 * request is over, and its reader gives Helidon no more input, so that a body no handler read is never
 * taken for a request. Used by the connection's one thread only.
 */
final class Http10ResponseWriter implements DataWriter {
    private enum Phase {
        HEAD,
        LENGTH_BODY,
        CHUNKED_BODY,
        CLOSE_DELIMITED_BODY
    }

    /** The last four bytes of a head, CR LF CR LF. */
    private static final int BLANK_LINE = 0x0d0a0d0a;

    private final DataWriter socket;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(256);
    private Phase phase = Phase.HEAD;
    private int lastFourHeadBytes;
    private long bodyLeft;
    private @Nullable ChunkedBodyDecoder chunks;
    private boolean answered;

    Http10ResponseWriter(DataWriter socket) {
        this.socket = socket;
    }

    @Override
    public void write(BufferData... buffers) {
        BufferData[] translated = Arrays.stream(buffers)
                .map(this::translate)
                .filter(b -> b.available() > 0)
                .toArray(BufferData[]::new);
        if (translated.length > 0) {
            socket.write(translated);
        }
    }

    @Override
    public void write(BufferData buffer) {
        BufferData translated = translate(buffer);
        if (translated.available() > 0) {
            socket.write(translated);
        }
    }

    @Override
    public void writeNow(BufferData... buffers) {
        BufferData[] translated = Arrays.stream(buffers)
                .map(this::translate)
                .filter(b -> b.available() > 0)
                .toArray(BufferData[]::new);
        if (translated.length > 0) {
            socket.writeNow(translated);
        }
    }

    @Override
    public void writeNow(BufferData buffer) {
        BufferData translated = translate(buffer);
        if (translated.available() > 0) {
            socket.writeNow(translated);
        }
    }

    /** Whether a final response has been written to its end. */
    boolean answered() {
        return answered;
    }

    @Override
    public void flush() {
        socket.flush();
    }

    @Override
    public void close() {
        socket.close();
    }

    private BufferData translate(BufferData buffer) {
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        int at = 0;
        while (at < bytes.length) {
            at = switch (phase) {
                case HEAD -> head(bytes, at, out);
                case LENGTH_BODY -> lengthBody(bytes, at, out);
                case CHUNKED_BODY -> chunkedBody(bytes, at, out);
                case CLOSE_DELIMITED_BODY -> closeDelimitedBody(bytes, at, out);
            };
        }
        return BufferData.create(out.toByteArray());
    }

    private int head(byte[] bytes, int at, ByteArrayOutputStream out) {
        for (int i = at; i < bytes.length; i++) {
            head.write(bytes[i]);
            lastFourHeadBytes = (lastFourHeadBytes << 8) | (bytes[i] & 0xff);
            if (lastFourHeadBytes == BLANK_LINE) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                head.reset();
                lastFourHeadBytes = 0;
                headEnded(text, out);
                return i + 1;
            }
        }
        return bytes.length;
    }

    private int lengthBody(byte[] bytes, int at, ByteArrayOutputStream out) {
        int length = (int) Math.min(bodyLeft, bytes.length - at);
        out.write(bytes, at, length);
        bodyLeft -= length;
        if (bodyLeft == 0) {
            responseEnded();
        }
        return at + length;
    }

    private int chunkedBody(byte[] bytes, int at, ByteArrayOutputStream out) {
        ChunkedBodyDecoder decoder = chunks;
        if (decoder == null) {
            throw new IllegalStateException("a chunked body without its decoder");
        }
        int end = decoder.decode(bytes, at, bytes.length, out);
        if (decoder.done()) {
            chunks = null;
            responseEnded();
        }
        return end;
    }

    private int closeDelimitedBody(byte[] bytes, int at, ByteArrayOutputStream out) {
        out.write(bytes, at, bytes.length - at);
        return bytes.length;
    }

    private void responseEnded() {
        answered = true;
        phase = Phase.HEAD;
    }

    private void headEnded(String text, ByteArrayOutputStream out) {
        List<String> lines = List.of(text.split("\r\n"));
        int status = status(lines.getFirst());
        if (status >= 100 && status < 200) {
            return;
        }
        List<String> kept = new ArrayList<>();
        boolean chunked = false;
        for (String line : lines) {
            String withoutChunked = withoutChunkedCoding(line);
            chunked |= !withoutChunked.equals(line);
            if (!withoutChunked.isEmpty()) {
                kept.add(withoutChunked);
            }
        }
        out.writeBytes((String.join("\r\n", kept) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        bodyFramed(status, chunked, contentLength(lines));
    }

    private void bodyFramed(int status, boolean chunked, long contentLength) {
        if (status == 204 || status == 304 || (!chunked && contentLength == 0)) {
            responseEnded();
        } else if (chunked) {
            phase = Phase.CHUNKED_BODY;
            chunks = new ChunkedBodyDecoder();
        } else if (contentLength > 0) {
            phase = Phase.LENGTH_BODY;
            bodyLeft = contentLength;
        } else {
            phase = Phase.CLOSE_DELIMITED_BODY;
        }
    }

    /**
     * A {@code Transfer-Encoding} field without its {@code chunked} coding (empty if nothing is left);
     * any other line as it is.
     */
    static String withoutChunkedCoding(String line) {
        if (!line.regionMatches(true, 0, "Transfer-Encoding:", 0, "Transfer-Encoding:".length())) {
            return line;
        }
        List<String> codings = Arrays.stream(
                        line.substring(line.indexOf(':') + 1).split(","))
                .map(String::strip)
                .filter(coding -> !coding.isEmpty())
                .toList();
        List<String> others = codings.stream()
                .filter(coding -> !coding.toLowerCase(Locale.ROOT).equals("chunked"))
                .toList();
        if (others.size() == codings.size()) {
            return line;
        }
        return others.isEmpty() ? "" : "Transfer-Encoding: " + String.join(", ", others);
    }

    /** The status code of a status line, 0 if there is none. */
    private static int status(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        return parts.length > 1 && parts[1].matches("[0-9]{3}") ? Integer.parseInt(parts[1]) : 0;
    }

    /** The value of the {@code Content-Length} field, -1 without one. */
    private static long contentLength(List<String> lines) {
        for (String line : lines) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, "Content-Length:".length())) {
                return Long.parseLong(line.substring("Content-Length:".length()).strip());
            }
        }
        return -1;
    }
}
