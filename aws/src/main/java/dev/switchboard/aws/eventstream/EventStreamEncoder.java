package dev.switchboard.aws.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes messages in the event-stream framing: prelude (total length, headers length, CRC32 of those
 * eight bytes), headers, payload, CRC32 of everything before it; integers big-endian. Refuses what a
 * reader could not read back (a header section over 128 KiB, a message over 16 MiB), so that a test
 * that wants a malformed stream has to make it on purpose. Stateless and thread-safe.
 */
public final class EventStreamEncoder {
    private EventStreamEncoder() {}

    /** The message's bytes. */
    public static byte[] encode(EventStreamMessage message) {
        byte[][] names = new byte[message.headers().size()][];
        byte[][] texts = new byte[names.length][];
        int headersLength = 0;
        List<EventHeader> headers = message.headers();
        for (int i = 0; i < names.length; i++) {
            names[i] = headers.get(i).name().getBytes(StandardCharsets.UTF_8);
            if (headers.get(i).value() instanceof HeaderValue.Text text) {
                texts[i] = text.value().getBytes(StandardCharsets.UTF_8);
                if (texts[i].length > EventStreamLimits.MAX_HEADER_VALUE_BYTES) {
                    throw new IllegalArgumentException("a string header holds at most 65535 bytes");
                }
            }
            headersLength +=
                    1 + names[i].length + 1 + valueLength(headers.get(i).value(), texts[i]);
        }
        long total = (long) EventStreamLimits.OVERHEAD_BYTES + headersLength + message.payloadLength();
        if (headersLength > EventStreamLimits.DEFAULT_MAX_HEADER_BYTES
                || total > EventStreamLimits.DEFAULT_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message too large for the event-stream framing's readers");
        }
        Writer out = new Writer((int) total);
        out.int32((int) total);
        out.int32(headersLength);
        out.crc(0);
        for (int i = 0; i < names.length; i++) {
            out.int8(names[i].length);
            out.bytes(names[i]);
            writeValue(headers.get(i).value(), texts[i], out);
        }
        out.bytes(message.sharedPayload());
        out.crc(0);
        return out.buffer;
    }

    /** Several messages, one after the other: a whole stream body. */
    public static byte[] encodeAll(List<EventStreamMessage> messages) {
        List<byte[]> parts = new ArrayList<>(messages.size());
        int length = 0;
        for (EventStreamMessage message : messages) {
            byte[] part = encode(message);
            parts.add(part);
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static int valueLength(HeaderValue value, byte[] text) {
        return switch (value) {
            case HeaderValue.Bool ignored -> 0;
            case HeaderValue.Int8 ignored -> 1;
            case HeaderValue.Int16 ignored -> 2;
            case HeaderValue.Int32 ignored -> 4;
            case HeaderValue.Int64 ignored -> 8;
            case HeaderValue.Bytes bytes -> 2 + bytes.length();
            case HeaderValue.Text ignored -> 2 + text.length;
            case HeaderValue.Timestamp ignored -> 8;
            case HeaderValue.Uuid ignored -> 16;
        };
    }

    private static void writeValue(HeaderValue value, byte[] text, Writer out) {
        out.int8(value.typeCode());
        switch (value) {
            case HeaderValue.Bool ignored -> {}
            case HeaderValue.Int8 v -> out.int8(v.value());
            case HeaderValue.Int16 v -> out.int16(v.value());
            case HeaderValue.Int32 v -> out.int32(v.value());
            case HeaderValue.Int64 v -> out.int64(v.value());
            case HeaderValue.Bytes v -> {
                out.int16(v.length());
                out.bytes(v.shared());
            }
            case HeaderValue.Text ignored -> {
                out.int16(text.length);
                out.bytes(text);
            }
            case HeaderValue.Timestamp v -> out.int64(v.epochMillis());
            case HeaderValue.Uuid v -> {
                out.int64(v.value().getMostSignificantBits());
                out.int64(v.value().getLeastSignificantBits());
            }
        }
    }

    /** Big-endian writes into an array of the message's exact size. */
    private static final class Writer {
        final byte[] buffer;
        int position;

        Writer(int size) {
            this.buffer = new byte[size];
        }

        void int8(int value) {
            buffer[position++] = (byte) value;
        }

        void int16(int value) {
            int8(value >>> 8);
            int8(value);
        }

        void int32(int value) {
            int16(value >>> 16);
            int16(value);
        }

        void int64(long value) {
            int32((int) (value >>> 32));
            int32((int) value);
        }

        void bytes(byte[] bytes) {
            System.arraycopy(bytes, 0, buffer, position, bytes.length);
            position += bytes.length;
        }

        /** Writes the CRC32 of everything from {@code from} to here. */
        void crc(int from) {
            CRC32 crc = new CRC32();
            crc.update(buffer, from, position - from);
            int32((int) crc.getValue());
        }
    }
}
