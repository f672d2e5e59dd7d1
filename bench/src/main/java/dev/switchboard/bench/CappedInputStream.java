package dev.switchboard.bench;

import java.io.ByteArrayInputStream;

/**
 * A byte-array stream that hands out at most {@code maxRead} bytes per read, as a socket does when
 * data arrives in pieces: it makes a parser meet lines split across reads. Not thread-safe.
 */
public final class CappedInputStream extends ByteArrayInputStream {
    private final int maxRead;

    public CappedInputStream(byte[] bytes, int maxRead) {
        super(bytes);
        if (maxRead < 1) {
            throw new IllegalArgumentException("maxRead must be at least 1");
        }
        this.maxRead = maxRead;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, maxRead));
    }
}
