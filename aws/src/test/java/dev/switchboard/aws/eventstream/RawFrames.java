package dev.switchboard.aws.eventstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/** Frames built byte by byte with correct CRCs, for defects the encoder refuses to make. */
final class RawFrames {
    private RawFrames() {}

    /** A message of these exact header bytes and payload, with lengths and CRCs that match them. */
    static byte[] frame(byte[] headers, byte[] payload) {
        return frame(16 + headers.length + payload.length, headers.length, headers, payload);
    }

    /** A message that declares {@code total} and {@code headersLength} whatever it holds; CRCs computed. */
    static byte[] frame(int total, int headersLength, byte[] headers, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + headers.length + payload.length);
        buffer.putInt(total).putInt(headersLength).putInt(crc(buffer.array(), 8));
        buffer.put(headers).put(payload);
        buffer.putInt(crc(buffer.array(), buffer.position()));
        return buffer.array();
    }

    /** Just a prelude, with a correct CRC. */
    static byte[] prelude(int total, int headersLength) {
        ByteBuffer buffer = ByteBuffer.allocate(12);
        buffer.putInt(total).putInt(headersLength).putInt(crc(buffer.array(), 8));
        return buffer.array();
    }

    static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Hands out at most {@code perRead} bytes a read, as a network does. */
    static InputStream trickling(byte[] bytes, int perRead) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                return position < bytes.length ? bytes[position++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, perRead), bytes.length - position);
                System.arraycopy(bytes, position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    /** Hands out its bytes, then fails as a broken connection does. */
    static InputStream failingAfter(byte[] bytes) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position < bytes.length) {
                    return bytes[position++] & 0xFF;
                }
                throw new IOException("connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= bytes.length) {
                    throw new IOException("connection reset");
                }
                int n = Math.min(len, bytes.length - position);
                System.arraycopy(bytes, position, b, off, n);
                position += n;
                return n;
            }
        };
    }
}
