package dev.switchboard.bench.streams;

import java.io.IOException;
import java.util.Arrays;

/**
 * The server-sent events of a body: splits it into lines (LF or CRLF), joins an event's
 * {@code data:} lines, drops comments ({@code : keep-alive}) and other fields, and hands out an
 * event's data when its blank line arrives. An unfinished event at the end of the body is dropped,
 * as the SSE specification says. Buffers grow to the largest event seen, up to {@link #MAX_EVENT}.
 * Not thread-safe.
 */
final class SseScanner {
    /** Longer lines or events are a malformed response. */
    static final int MAX_EVENT = 1 << 20;

    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};

    private final HttpBody body;
    private byte[] line = new byte[512];
    private int lineLength;
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean inEvent;

    SseScanner(HttpBody body) {
        this.body = body;
    }

    /** Reads up to the end of the next event that has data; false at the end of the body. */
    boolean next() throws IOException {
        while (readLine()) {
            if (lineLength == 0 && inEvent) {
                inEvent = false;
                return true;
            }
            if (lineLength >= DATA.length && Arrays.equals(line, 0, DATA.length, DATA, 0, DATA.length)) {
                appendData();
            }
        }
        return false;
    }

    /** The current event's data; valid up to {@link #length()} until the next call of {@link #next()}. */
    byte[] data() {
        return data;
    }

    int length() {
        return dataLength;
    }

    private void appendData() throws MalformedResponse {
        int from = DATA.length < lineLength && line[DATA.length] == ' ' ? DATA.length + 1 : DATA.length;
        if (inEvent) {
            append((byte) '\n');
        } else {
            dataLength = 0;
            inEvent = true;
        }
        for (int i = from; i < lineLength; i++) {
            append(line[i]);
        }
    }

    private void append(byte b) throws MalformedResponse {
        if (dataLength == data.length) {
            data = grown(data);
        }
        data[dataLength++] = b;
    }

    private boolean readLine() throws IOException {
        lineLength = 0;
        for (int b = body.next(); b >= 0; b = body.next()) {
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            if (lineLength == line.length) {
                line = grown(line);
            }
            line[lineLength++] = (byte) b;
        }
        return false;
    }

    private static byte[] grown(byte[] bytes) throws MalformedResponse {
        if (bytes.length >= MAX_EVENT) {
            throw new MalformedResponse("an event longer than " + MAX_EVENT + " bytes");
        }
        return Arrays.copyOf(bytes, bytes.length * 2);
    }
}
