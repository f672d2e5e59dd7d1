package dev.switchboard.bench.streams;

import java.io.IOException;
import java.util.Locale;

/**
 * The status and the body's framing of an HTTP/1.1 response; the other headers are read and
 * dropped.
 *
 * @param status the status code
 * @param framing how the body ends
 * @param length the {@code Content-Length} for {@link HttpBody.Framing#LENGTH}, else -1
 */
record ResponseHead(int status, HttpBody.Framing framing, long length) {
    /** More header lines than this is not a response this harness expects. */
    static final int MAX_HEADERS = 100;

    /** Reads the status line and the headers up to the blank line. */
    static ResponseHead read(ResponseInput in) throws IOException {
        int status = status(in.line());
        boolean chunked = false;
        long length = -1;
        int count = 0;
        for (String line = in.line(); !line.isEmpty(); line = in.line()) {
            if (++count > MAX_HEADERS) {
                throw new MalformedResponse("more than " + MAX_HEADERS + " header lines");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedResponse("header line without a name: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            } else if (name.equals("content-length")) {
                length = number(value);
            }
        }
        HttpBody.Framing framing = chunked
                ? HttpBody.Framing.CHUNKED
                : length >= 0 ? HttpBody.Framing.LENGTH : HttpBody.Framing.UNTIL_CLOSE;
        return new ResponseHead(status, framing, chunked ? -1 : length);
    }

    boolean successful() {
        return status >= 200 && status < 300;
    }

    private static int status(String line) throws MalformedResponse {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new MalformedResponse("not an HTTP/1.x status line: " + line);
        }
        return (int) number(line.substring(9, 12));
    }

    private static long number(String digits) throws MalformedResponse {
        try {
            long value = Long.parseLong(digits);
            if (value < 0) {
                throw new MalformedResponse("negative number: " + digits);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new MalformedResponse("not a number: " + digits);
        }
    }
}
