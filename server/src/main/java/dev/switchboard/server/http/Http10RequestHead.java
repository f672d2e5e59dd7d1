package dev.switchboard.server.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectTransportRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The head of an HTTP/1.0 request (request line and header fields), read whole and rendered again as
 * the HTTP/1.1 request Helidon will serve: version {@code HTTP/1.1}, {@code Connection: close}, a
 * {@code Host} if there was none. Fields whose meaning HTTP/1.0 lacks are dropped: {@code Connection}
 * and {@code Keep-Alive} (the connection closes regardless), {@code Expect} (a server must ignore
 * {@code 100-continue} from an HTTP/1.0 client and may not send it a 1xx), {@code TE} (a client that
 * cannot take chunked framing cannot take trailers) and {@code Upgrade} (ignored in HTTP/1.0 requests,
 * RFC 9110 section 7.8). Every other field is kept byte for byte; Helidon validates them as usual.
 *
 * <p>Refused here, with the connection closed after the answer: a {@code Transfer-Encoding} (400), a
 * {@code Content-Length} that is not one decimal number (400), header fields longer than the limit
 * (431), a line end other than CRLF (400). Immutable once read.
 */
final class Http10RequestHead {
    private static final Set<String> DROPPED = Set.of("connection", "keep-alive", "expect", "te", "upgrade");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");
    private static final Status HEADERS_TOO_LARGE = Status.create(431, "Request Header Fields Too Large");
    private static final int VERSION_LENGTH = "HTTP/1.0".length();
    private final byte[] requestLine;
    private final List<byte[]> fields;
    private final boolean hasHost;
    private final long contentLength;

    private Http10RequestHead(byte[] requestLine, List<byte[]> fields, boolean hasHost, long contentLength) {
        this.requestLine = requestLine;
        this.fields = fields;
        this.hasHost = hasHost;
        this.contentLength = contentLength;
    }

    /**
     * Reads a head up to and including its blank line, and not a byte further.
     *
     * @param socket          positioned at a request line ending in {@code HTTP/1.0} that has arrived whole
     * @param maxHeaderBytes  the most bytes of header fields (line ends included) to read
     * @throws RequestException for a head that is refused (see the class description)
     */
    static Http10RequestHead read(DataReader socket, int maxHeaderBytes) {
        byte[] requestLine = socket.readBytes(socket.findNewLine(Integer.MAX_VALUE));
        socket.skip(2);
        List<byte[]> fields = new ArrayList<>();
        boolean hasHost = false;
        long contentLength = -1;
        int budget = maxHeaderBytes;
        for (byte[] line = nextLine(socket, budget, requestLine);
                line.length > 0;
                line = nextLine(socket, budget, requestLine)) {
            budget -= line.length + 2;
            String name = name(line);
            switch (name) {
                case "transfer-encoding" ->
                    throw refused(
                            requestLine,
                            Status.BAD_REQUEST_400,
                            "Transfer-Encoding is not allowed in an HTTP/1.0 request");
                case "content-length" -> contentLength = checkedLength(line, contentLength, requestLine);
                case "host" -> hasHost = true;
                default -> {}
            }
            if (!DROPPED.contains(name)) {
                fields.add(line);
            }
        }
        return new Http10RequestHead(requestLine, List.copyOf(fields), hasHost, Math.max(contentLength, 0));
    }

    /** The declared length of the body, 0 without {@code Content-Length}. */
    long contentLength() {
        return contentLength;
    }

    /** The head as an HTTP/1.1 request that asks for the connection to close after it. */
    byte[] asHttp11(String localAuthority) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(requestLine.length + 64 * (fields.size() + 2));
        out.write(requestLine, 0, requestLine.length - VERSION_LENGTH);
        out.writeBytes("HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] field : fields) {
            out.writeBytes(field);
            out.write('\r');
            out.write('\n');
        }
        if (!hasHost) {
            out.writeBytes(("Host: " + localAuthority + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The next field line without its CRLF, empty at the blank line that ends the head (consumed too). */
    private static byte[] nextLine(DataReader socket, int budget, byte[] requestLine) {
        int end;
        try {
            end = budget <= 0 ? budget : socket.findNewLine(budget);
        } catch (DataReader.IncorrectNewLineException e) {
            throw refused(requestLine, Status.BAD_REQUEST_400, "A header line does not end in CRLF");
        }
        if (end >= budget) {
            throw refused(requestLine, HEADERS_TOO_LARGE, "The header fields are over the limit");
        }
        byte[] line = end == 0 ? new byte[0] : socket.readBytes(end);
        socket.skip(2);
        return line;
    }

    /** The field name in lower case, or the empty string for a line without a colon (Helidon refuses it). */
    private static String name(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            if (line[i] == ':') {
                return new String(line, 0, i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static long checkedLength(byte[] line, long earlier, byte[] requestLine) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        String value = text.substring(text.indexOf(':') + 1).strip();
        if (!DECIMAL.matcher(value).matches()) {
            throw refused(requestLine, Status.BAD_REQUEST_400, "Content-Length is not a decimal number");
        }
        long length = Long.parseLong(value);
        if (earlier >= 0 && earlier != length) {
            throw refused(requestLine, Status.BAD_REQUEST_400, "Content-Length fields disagree");
        }
        return length;
    }

    private static RequestException refused(byte[] requestLine, Status status, String message) {
        String[] parts = new String(requestLine, StandardCharsets.ISO_8859_1).split(" ", 3);
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(status)
                .request(DirectTransportRequest.create("HTTP/1.0", parts[0], parts.length > 1 ? parts[1] : ""))
                .setKeepAlive(false)
                .message(message)
                .build();
    }
}
