package dev.switchboard.bench.streams;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one response as the socket delivered them, each with the time of the socket read
 * that brought it. Readers above pull bytes lazily, so when an event is complete its last byte came
 * from the latest read and {@link #readAt()} is that event's arrival time.
 *
 * <p>One buffer of a fixed size per stream, nothing allocated per read. Not thread-safe: one per
 * stream, used by the stream's thread.
 */
final class ResponseInput {
    /** Longest status or header line accepted. */
    static final int MAX_LINE = 8192;

    private final InputStream socket;
    private final byte[] buffer;
    private int position;
    private int limit;
    private long readAt;
    private long firstByteAt = -1;

    ResponseInput(InputStream socket, int bufferBytes) {
        this.socket = socket;
        this.buffer = new byte[bufferBytes];
    }

    /** The next byte, or -1 when the peer closed the connection. */
    int next() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /** The next byte; the connection ending here is an early close. */
    int required() throws IOException {
        int b = next();
        if (b < 0) {
            throw new EOFException("connection closed mid-response");
        }
        return b;
    }

    /** A line without its CRLF (or bare LF), as ASCII. */
    String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = required(); b != '\n'; b = required()) {
            if (line.length() == MAX_LINE) {
                throw new MalformedResponse("line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
        int end = line.length();
        return (end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString());
    }

    /** {@link System#nanoTime()} just after the latest socket read returned. */
    long readAt() {
        return readAt;
    }

    /** {@link System#nanoTime()} when the first byte of the response arrived, -1 before. */
    long firstByteAt() {
        return firstByteAt;
    }

    private boolean fill() throws IOException {
        int n = socket.read(buffer);
        if (n <= 0) {
            return false;
        }
        readAt = System.nanoTime();
        if (firstByteAt < 0) {
            firstByteAt = readAt;
        }
        position = 0;
        limit = n;
        return true;
    }
}
