package dev.switchboard.aws.eventstream;

import dev.switchboard.aws.eventstream.MalformedEventStreamException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * Reads event-stream messages from a byte stream, one at a time.
 *
 * <p>Design note. Each message is read whole into one reusable buffer: first its 12-byte prelude, whose
 * CRC is checked before its lengths are believed (a corrupted length must not make the reader wait for
 * or allocate bytes that will never come), then the rest, exactly {@code total_length - 12} bytes, whose
 * CRC covers everything but itself. Only then are the headers indexed ({@link EventStreamFrame}). The
 * buffer grows to the largest message seen, never beyond {@code maxMessageBytes}; CRCs are computed over
 * the array with one reused {@link CRC32}. Nothing is allocated per byte or, once the buffer has grown,
 * per message. Reads ask for at most 1 KiB at a time, as the SSE reader does, because the upstream
 * client answers a read it has no data for with a new buffer of the size asked for.
 *
 * <p>The stream may end only between messages ({@link #next()} then returns null); anywhere else, and for
 * every other defect, {@link MalformedEventStreamException}. An {@link IOException} of another class is
 * the stream's own failure. Not thread-safe: one decoder per stream.
 */
public final class EventStreamDecoder {
    static final int MAX_READ = 1024;
    private static final int INITIAL_BUFFER = 1024;

    private final InputStream in;
    private final int maxMessageBytes;
    private final int maxHeaderBytes;
    private final CRC32 crc = new CRC32();
    private final EventStreamFrame frame = new EventStreamFrame();
    private byte[] buffer;
    private long messagesRead;

    /** A decoder with the default bounds (16 MiB a message, 128 KiB of headers). */
    public EventStreamDecoder(InputStream in) {
        this(in, EventStreamLimits.DEFAULT_MAX_MESSAGE_BYTES, EventStreamLimits.DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * @param maxMessageBytes the longest message accepted, prelude and CRC included
     * @param maxHeaderBytes  the most bytes of headers one message may have
     */
    public EventStreamDecoder(InputStream in, int maxMessageBytes, int maxHeaderBytes) {
        if (maxMessageBytes < EventStreamLimits.OVERHEAD_BYTES || maxHeaderBytes < 0) {
            throw new IllegalArgumentException("bounds too small for any message");
        }
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.buffer = new byte[Math.min(INITIAL_BUFFER, maxMessageBytes)];
    }

    /**
     * The next message, valid until the next call; null when the stream ended after a whole message.
     *
     * @throws MalformedEventStreamException for a truncated, corrupted or oversized message
     * @throws IOException                   when reading the stream fails
     */
    public @Nullable EventStreamFrame next() throws IOException {
        int prelude = readFully(0, EventStreamLimits.PRELUDE_BYTES);
        if (prelude == 0) {
            return null;
        }
        if (prelude < EventStreamLimits.PRELUDE_BYTES) {
            throw truncated();
        }
        checkCrc(0, 8, 8, Reason.PRELUDE_CRC);
        long total = unsigned32(0);
        long headersLength = unsigned32(4);
        checkLengths(total, headersLength);
        int length = (int) total;
        ensureCapacity(length);
        if (readFully(EventStreamLimits.PRELUDE_BYTES, length - EventStreamLimits.PRELUDE_BYTES)
                < length - EventStreamLimits.PRELUDE_BYTES) {
            throw truncated();
        }
        checkCrc(0, length - 4, length - 4, Reason.MESSAGE_CRC);
        frame.index(buffer, length, (int) headersLength);
        messagesRead++;
        return frame;
    }

    private void checkLengths(long total, long headersLength) throws MalformedEventStreamException {
        if (total > maxMessageBytes) {
            throw new MalformedEventStreamException(
                    Reason.TOO_LARGE,
                    "event-stream message " + messagesRead + " has " + total + " bytes; at most " + maxMessageBytes
                            + " are accepted");
        }
        if (headersLength > maxHeaderBytes) {
            throw new MalformedEventStreamException(
                    Reason.TOO_LARGE,
                    "event-stream message " + messagesRead + " has " + headersLength + " bytes of headers; at most "
                            + maxHeaderBytes + " are accepted");
        }
        if (total < EventStreamLimits.OVERHEAD_BYTES || headersLength > total - EventStreamLimits.OVERHEAD_BYTES) {
            throw new MalformedEventStreamException(
                    Reason.BAD_LENGTH,
                    "event-stream message " + messagesRead + " declares " + total + " bytes with " + headersLength
                            + " bytes of headers");
        }
    }

    private void checkCrc(int from, int length, int crcAt, Reason reason) throws MalformedEventStreamException {
        crc.reset();
        crc.update(buffer, from, length);
        if ((int) crc.getValue() != (int) unsigned32(crcAt)) {
            throw new MalformedEventStreamException(
                    reason,
                    "event-stream message " + messagesRead + " fails its "
                            + (reason == Reason.PRELUDE_CRC ? "prelude" : "message") + " CRC");
        }
    }

    private MalformedEventStreamException truncated() {
        return new MalformedEventStreamException(
                Reason.TRUNCATED, "the event stream ended inside message " + messagesRead);
    }

    /** Reads until {@code length} bytes are at {@code offset} or the stream ends; returns how many arrived. */
    private int readFully(int offset, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, offset + read, Math.min(length - read, MAX_READ));
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }

    private void ensureCapacity(int length) {
        if (length > buffer.length) {
            byte[] larger = new byte[(int) Math.min(maxMessageBytes, Math.max(length, 2L * buffer.length))];
            System.arraycopy(buffer, 0, larger, 0, EventStreamLimits.PRELUDE_BYTES);
            buffer = larger;
        }
    }

    private long unsigned32(int at) {
        return ((buffer[at] & 0xFFL) << 24)
                | ((buffer[at + 1] & 0xFFL) << 16)
                | ((buffer[at + 2] & 0xFFL) << 8)
                | (buffer[at + 3] & 0xFFL);
    }

    /** How many whole messages have been read. */
    public long messagesRead() {
        return messagesRead;
    }
}
