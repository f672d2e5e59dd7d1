package dev.switchboard.bench.streams;

import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;

/**
 * The body of a response, byte by byte, with its HTTP/1.1 framing taken off: chunked, a
 * {@code Content-Length}, or up to the connection's close. A connection that ends before a chunked
 * or counted body does is an {@link EOFException}; the clean end is -1. Not thread-safe.
 */
final class HttpBody {
    /** How a body ends. */
    enum Framing {
        CHUNKED,
        LENGTH,
        UNTIL_CLOSE
    }

    private final ResponseInput in;
    private final Framing framing;
    private long remaining;
    private boolean chunkSeen;
    private boolean ended;

    HttpBody(ResponseInput in, ResponseHead head) {
        this.in = in;
        this.framing = head.framing();
        this.remaining = head.framing() == Framing.LENGTH ? head.length() : 0;
    }

    /** The next byte of the body, or -1 at its end. */
    int next() throws IOException {
        return switch (framing) {
            case CHUNKED -> chunked();
            case LENGTH -> counted();
            case UNTIL_CLOSE -> in.next();
        };
    }

    private int counted() throws IOException {
        if (remaining == 0) {
            return -1;
        }
        remaining--;
        return in.required();
    }

    private int chunked() throws IOException {
        if (remaining == 0 && (ended || !nextChunk())) {
            return -1;
        }
        remaining--;
        return in.required();
    }

    /** Reads the next chunk's size line; at the last chunk reads the trailers and ends the body. */
    private boolean nextChunk() throws IOException {
        if (chunkSeen && !in.line().isEmpty()) {
            throw new MalformedResponse("chunk data longer than its size");
        }
        chunkSeen = true;
        remaining = chunkSize(in.line());
        if (remaining > 0) {
            return true;
        }
        while (!in.line().isEmpty()) {
            // trailers: none expected, read and dropped
        }
        ended = true;
        return false;
    }

    private static long chunkSize(String line) throws MalformedResponse {
        int end = line.indexOf(';');
        String hex = (end < 0 ? line : line.substring(0, end)).trim().toLowerCase(Locale.ROOT);
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new MalformedResponse("negative chunk size: " + line);
            }
            return size;
        } catch (NumberFormatException e) {
            throw new MalformedResponse("not a chunk size: " + line);
        }
    }
}
