package dev.switchboard.aws.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The message a decoder has just read, as a view over the decoder's buffer: valid until its next read.
 * Headers are indexed when the message is read (their structure checked), and decoded only when asked
 * for; the payload is handed out as a slice of the buffer, for a JSON parser to read in place. {@link
 * #textEquals} compares a header without decoding it. Not thread-safe.
 */
public final class EventStreamFrame {
    private byte[] buffer = new byte[0];
    private int payloadOffset;
    private int payloadLength;
    private int headerCount;
    private int[] nameOffsets = new int[4];
    private int[] nameLengths = new int[4];
    private int[] types = new int[4];
    /** Where a value's bytes start (after the two length bytes of a string or byte array). */
    private int[] valueOffsets = new int[4];

    private int[] valueLengths = new int[4];

    EventStreamFrame() {}

    /** Indexes the headers of the message in {@code buffer[0, totalLength)}; checks their structure. */
    void index(byte[] buffer, int totalLength, int headersLength) throws MalformedEventStreamException {
        this.buffer = buffer;
        int at = EventStreamLimits.PRELUDE_BYTES;
        int end = at + headersLength;
        headerCount = 0;
        while (at < end) {
            int nameLength = buffer[at++] & 0xFF;
            if (nameLength == 0 || at + nameLength + 1 > end) {
                throw badHeader("a header name is empty or runs past the headers");
            }
            int nameOffset = at;
            at += nameLength;
            int type = buffer[at++] & 0xFF;
            int valueLength = fixedLength(type);
            if (valueLength < 0) {
                if (at + 2 > end) {
                    throw badHeader("a header value's length runs past the headers");
                }
                valueLength = ((buffer[at] & 0xFF) << 8) | (buffer[at + 1] & 0xFF);
                at += 2;
            }
            if (at + valueLength > end) {
                throw badHeader("a header value runs past the headers");
            }
            add(nameOffset, nameLength, type, at, valueLength);
            at += valueLength;
        }
        payloadOffset = end;
        payloadLength = totalLength - end - 4;
    }

    /** The value bytes of a type, -1 for the two length-prefixed types; throws for an unknown type. */
    private static int fixedLength(int type) throws MalformedEventStreamException {
        return switch (type) {
            case 0, 1 -> 0;
            case 2 -> 1;
            case 3 -> 2;
            case 4 -> 4;
            case 5, 8 -> 8;
            case 6, 7 -> -1;
            case 9 -> 16;
            default -> throw badHeader("a header has the unknown type " + type);
        };
    }

    private void add(int nameOffset, int nameLength, int type, int valueOffset, int valueLength) {
        if (headerCount == types.length) {
            int size = headerCount * 2;
            nameOffsets = Arrays.copyOf(nameOffsets, size);
            nameLengths = Arrays.copyOf(nameLengths, size);
            types = Arrays.copyOf(types, size);
            valueOffsets = Arrays.copyOf(valueOffsets, size);
            valueLengths = Arrays.copyOf(valueLengths, size);
        }
        nameOffsets[headerCount] = nameOffset;
        nameLengths[headerCount] = nameLength;
        types[headerCount] = type;
        valueOffsets[headerCount] = valueOffset;
        valueLengths[headerCount] = valueLength;
        headerCount++;
    }

    private static MalformedEventStreamException badHeader(String message) {
        return new MalformedEventStreamException(MalformedEventStreamException.Reason.BAD_HEADER, message);
    }

    public int headerCount() {
        return headerCount;
    }

    public String headerName(int index) {
        return new String(buffer, nameOffsets[index], nameLengths[index], StandardCharsets.UTF_8);
    }

    /** The header's value, decoded. */
    public HeaderValue headerValue(int index) {
        int at = valueOffsets[index];
        return switch (types[index]) {
            case 0 -> new HeaderValue.Bool(true);
            case 1 -> new HeaderValue.Bool(false);
            case 2 -> new HeaderValue.Int8(buffer[at]);
            case 3 -> new HeaderValue.Int16((short) bigEndian(at, 2));
            case 4 -> new HeaderValue.Int32((int) bigEndian(at, 4));
            case 5 -> new HeaderValue.Int64(bigEndian(at, 8));
            case 6 -> new HeaderValue.Bytes(Arrays.copyOfRange(buffer, at, at + valueLengths[index]));
            case 7 -> new HeaderValue.Text(new String(buffer, at, valueLengths[index], StandardCharsets.UTF_8));
            case 8 -> new HeaderValue.Timestamp(bigEndian(at, 8));
            case 9 -> new HeaderValue.Uuid(new UUID(bigEndian(at, 8), bigEndian(at + 8, 8)));
            default -> throw new IllegalStateException("indexed headers have known types");
        };
    }

    /** The first string header of that name, decoded; null when there is none (or it has another type). */
    public @Nullable String text(String name) {
        int index = find(name);
        return index < 0 || types[index] != 7
                ? null
                : new String(buffer, valueOffsets[index], valueLengths[index], StandardCharsets.UTF_8);
    }

    /** Whether the first header of that name is the string {@code expected}; decodes nothing for ASCII text. */
    public boolean textEquals(String name, String expected) {
        int index = find(name);
        return index >= 0 && types[index] == 7 && sameText(valueOffsets[index], valueLengths[index], expected);
    }

    private int find(String name) {
        for (int i = 0; i < headerCount; i++) {
            if (sameText(nameOffsets[i], nameLengths[i], name)) {
                return i;
            }
        }
        return -1;
    }

    /** Compares bytes with a string: byte by byte while it is ASCII, else through its UTF-8 encoding. */
    private boolean sameText(int offset, int length, String text) {
        if (!isAscii(text)) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            return Arrays.equals(buffer, offset, offset + length, utf8, 0, utf8.length);
        }
        if (length != text.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer[offset + i] != (byte) text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private long bigEndian(int at, int bytes) {
        long value = buffer[at]; // sign-extended: the integer types are signed
        for (int i = 1; i < bytes; i++) {
            value = (value << 8) | (buffer[at + i] & 0xFF);
        }
        return value;
    }

    /** The array the payload is in; valid until the decoder's next read. */
    public byte[] payloadArray() {
        return buffer;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** The payload, copied. */
    public byte[] payload() {
        return Arrays.copyOfRange(buffer, payloadOffset, payloadOffset + payloadLength);
    }

    /** The message as a value of its own, copied out of the buffer. */
    public EventStreamMessage toMessage() {
        List<EventHeader> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            headers.add(new EventHeader(headerName(i), headerValue(i)));
        }
        return new EventStreamMessage(headers, payload());
    }
}
