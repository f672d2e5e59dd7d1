package dev.switchboard.server.http;

import java.io.ByteArrayOutputStream;

/**
 * Removes chunked transfer coding (RFC 9112, section 7.1) from a body that arrives in pieces of any
 * size, giving back each chunk's data as soon as its bytes are seen, so that what was written with one
 * flush leaves with one write.
 *
 * <p>Design note. A state machine over the framing: a size line ({@code hex[;extensions] CRLF}), that
 * many data bytes, their CRLF, and again, until a size of 0, after which the trailer section runs to a
 * blank line. Only the size and trailer lines are held (briefly, as text); data bytes are copied once.
 * The input is the server's own output, so framing errors are not expected and end the response
 * ({@link IllegalStateException}). Not thread-safe.
 */
final class ChunkedBodyDecoder {
    private enum State {
        SIZE_LINE,
        DATA,
        DATA_END,
        TRAILER,
        DONE
    }

    private final StringBuilder line = new StringBuilder();
    private State state = State.SIZE_LINE;
    private long left;

    /**
     * Decodes {@code input[from..to)} and appends the data found to {@code data}.
     *
     * @return where decoding stopped: {@code to}, or earlier if the body ended there
     */
    int decode(byte[] input, int from, int to, ByteArrayOutputStream data) {
        int at = from;
        while (at < to && state != State.DONE) {
            at = switch (state) {
                case SIZE_LINE, TRAILER -> line(input, at, to);
                case DATA -> data(input, at, to, data);
                case DATA_END -> dataEnd(at);
                case DONE -> at;
            };
        }
        return at;
    }

    /** Whether the last chunk and the trailer section have been seen. */
    boolean done() {
        return state == State.DONE;
    }

    private int data(byte[] input, int at, int to, ByteArrayOutputStream data) {
        int length = (int) Math.min(left, to - at);
        data.write(input, at, length);
        left -= length;
        if (left == 0) {
            state = State.DATA_END;
            left = 2;
        }
        return at + length;
    }

    private int dataEnd(int at) {
        if (--left == 0) {
            state = State.SIZE_LINE;
        }
        return at + 1;
    }

    private int line(byte[] input, int at, int to) {
        for (int i = at; i < to; i++) {
            if (input[i] == '\n') {
                lineEnded();
                return i + 1;
            }
            if (input[i] != '\r') {
                line.append((char) (input[i] & 0xff));
            }
        }
        return to;
    }

    private void lineEnded() {
        String text = line.toString();
        line.setLength(0);
        if (state == State.TRAILER) {
            state = text.isEmpty() ? State.DONE : State.TRAILER;
            return;
        }
        left = size(text);
        state = left == 0 ? State.TRAILER : State.DATA;
    }

    private static long size(String sizeLine) {
        int extensions = sizeLine.indexOf(';');
        String hex = (extensions < 0 ? sizeLine : sizeLine.substring(0, extensions)).strip();
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("not a chunk size line", e);
        }
    }
}
