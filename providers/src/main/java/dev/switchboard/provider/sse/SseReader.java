package dev.switchboard.provider.sse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads server-sent events from a byte stream, one {@code data} payload at a time.
 *
 * <p>Works on bytes: lines are found in a buffer (8 KiB, grown for long lines) without decoding, {@code data:} field values
 * of one event are joined with {@code \n} into a reusable byte array, and the payload is handed out
 * as a slice that the caller parses directly (Jackson reads UTF-8 bytes). Comment lines
 * ({@code :}) and the {@code event}, {@code id} and {@code retry} fields are skipped; CR, LF and CRLF
 * line ends are all accepted.
 *
 * <p>Bounded: one event's data may take at most {@code maxEventBytes} bytes, and so may any one line
 * (plus its field name), so that a misbehaving server cannot make the reader hold more than about
 * twice that. Beyond it, {@link #next()} throws {@link EventTooLargeException}. Not thread-safe: one
 * reader per stream.
 */
public final class SseReader {
    /** The bound used when none is given: large enough for any provider's chunks, small enough for the heap. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;
    /**
     * The most bytes asked of the stream in one read. The upstream client answers each read whose data
     * it has not buffered yet with a new buffer of the size asked for, filled with what has arrived: at
     * 8 KiB per read, a stream of small events allocated 8 KiB per event. Events are a few hundred bytes,
     * so 1 KiB keeps that close to the bytes received; a larger event takes a few reads.
     */
    static final int MAX_READ = 1024;
    /** Room for a field name and separator in front of a value at the size bound. */
    private static final int FIELD_SLACK = 16;

    private final InputStream in;
    private final int maxEventBytes;
    private final int maxLine;
    /** Starts at one read's size: a stream holds only what one unfinished line needs, growing for a longer one. */
    private byte[] buffer = new byte[MAX_READ];

    private int position;
    private int limit;
    private byte[] data = new byte[1024];
    private int dataLength;
    private boolean hasData;
    private boolean lastWasCr;
    private int lineStart;
    /** Buffer index up to which the unfinished line has been searched for its end, so no byte is scanned twice. */
    private int scanned;

    public SseReader(InputStream in) {
        this(in, DEFAULT_MAX_EVENT_BYTES);
    }

    /** @param maxEventBytes the most bytes one event's data (and any one line) may take */
    public SseReader(InputStream in, int maxEventBytes) {
        this.in = in;
        this.maxEventBytes = maxEventBytes;
        this.maxLine = (int) Math.min((long) maxEventBytes + FIELD_SLACK, Integer.MAX_VALUE - 8);
    }

    /**
     * The stream has an event (or a line) larger than the reader accepts: not a stream of events the
     * gateway can relay. Carries the first bytes of it, for showing what the server sent.
     */
    public static final class EventTooLargeException extends IOException {
        private static final int HEAD_BYTES = 16 * 1024;
        private final int limit;
        private final byte[] head;

        EventTooLargeException(int limit, byte[] bytes, int offset, int length) {
            super("SSE event larger than " + limit + " bytes");
            this.limit = limit;
            this.head = Arrays.copyOfRange(bytes, offset, offset + Math.min(length, HEAD_BYTES));
        }

        public int limit() {
            return limit;
        }

        /** The first bytes (up to 16 KiB) of the oversized event or line. */
        public byte[] head() {
            return head.clone();
        }
    }

    /** A view of the current event's payload, valid until the next call to {@link #next()}. */
    @SuppressWarnings("ArrayRecordComponent") // a view of the reader's buffer, not a value: never compared or copied
    public record Payload(byte[] bytes, int length) {
        public boolean is(String text) {
            if (text.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (bytes[i] != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * The next event's data, or null at the end of the stream. A trailing event without its blank line counts.
     *
     * @throws EventTooLargeException when an event's data or one line exceeds the bound
     */
    public @Nullable Payload next() throws IOException {
        dataLength = 0;
        hasData = false;
        while (true) {
            int lineEnd = findLineEnd();
            if (lineEnd < 0) {
                if (!fill()) {
                    return hasData ? payload() : null;
                }
                continue;
            }
            boolean dispatch = handleLine(lineStart, lineEnd);
            if (dispatch && hasData) {
                return payload();
            }
        }
    }

    private Payload payload() {
        return new Payload(data, dataLength);
    }

    /**
     * Finds the next complete line: sets {@code lineStart}, moves past the line end and returns the
     * index where the line ends, or -1 when no complete line is buffered. A CR followed by LF is one end.
     */
    private int findLineEnd() {
        if (lastWasCr && position < limit) {
            if (buffer[position] == '\n') {
                position++;
            }
            lastWasCr = false;
        }
        for (int i = Math.max(position, scanned); i < limit; i++) {
            byte b = buffer[i];
            if (b == '\n' || b == '\r') {
                lineStart = position;
                lastWasCr = b == '\r';
                position = i + 1;
                return i;
            }
        }
        scanned = limit;
        return -1;
    }

    /** @return true when the line was blank, which ends an event */
    private boolean handleLine(int start, int end) throws EventTooLargeException {
        if (start == end) {
            return true;
        }
        if (buffer[start] == ':') {
            return false;
        }
        if (end - start >= 4
                && buffer[start] == 'd'
                && buffer[start + 1] == 'a'
                && buffer[start + 2] == 't'
                && buffer[start + 3] == 'a'
                && (end - start == 4 || buffer[start + 4] == ':')) {
            int valueStart = Math.min(start + 5, end); // a bare "data" line is a data line with an empty value
            if (valueStart < end && buffer[valueStart] == ' ') {
                valueStart++;
            }
            appendData(valueStart, end);
        }
        return false;
    }

    private void appendData(int start, int end) throws EventTooLargeException {
        int extra = (hasData ? 1 : 0) + (end - start);
        if ((long) dataLength + extra > maxEventBytes) {
            throw dataLength > 0
                    ? new EventTooLargeException(maxEventBytes, data, 0, dataLength)
                    : new EventTooLargeException(maxEventBytes, buffer, start, end - start);
        }
        if (dataLength + extra > data.length) {
            data = Arrays.copyOf(data, (int)
                    Math.min(Math.max((long) data.length * 2, dataLength + extra), maxEventBytes));
        }
        if (hasData) {
            data[dataLength++] = '\n';
        }
        System.arraycopy(buffer, start, data, dataLength, end - start);
        dataLength += end - start;
        hasData = true;
    }

    /** Compacts the unread line fragment to the front and reads more; false at end of stream. */
    private boolean fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            scanned = Math.max(0, scanned - position);
            position = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length >= maxLine) {
                throw new EventTooLargeException(maxEventBytes, buffer, 0, limit);
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, maxLine));
        }
        int read = in.read(buffer, limit, Math.min(buffer.length - limit, MAX_READ));
        if (read < 0) {
            if (limit > position) {
                handleLine(position, limit);
                position = limit;
            }
            return false;
        }
        limit += read;
        return true;
    }
}
