package dev.switchboard.provider.http;

import dev.switchboard.core.upstream.CallControl;
import java.io.IOException;
import java.io.InputStream;

/**
 * An upstream body whose every blocking read is bracketed for {@link CallControl}, so that a timeout
 * or a client disconnect can interrupt it, and whose every successful read counts as activity.
 *
 * <p>Whatever the HTTP client throws while reading (its framing errors of a malformed chunked body are
 * unchecked exceptions) comes out as an {@link UpstreamReadException}, an {@code IOException}: code
 * that reads an upstream body catches exactly that, and an unchecked exception from its own code is a
 * bug that is not mistaken for the provider's fault.
 */
final class ControlledInputStream extends InputStream {
    private final InputStream in;
    private final CallControl control;

    ControlledInputStream(InputStream in, CallControl control) {
        this.in = in;
        this.control = control;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        control.enterIo();
        int n;
        try {
            n = in.read(b, off, len);
        } catch (RuntimeException e) {
            throw new UpstreamReadException(e);
        } finally {
            control.exitIo();
        }
        control.throwIfAborted();
        if (n > 0) {
            control.activity();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } catch (RuntimeException e) {
            throw new UpstreamReadException(e);
        }
    }
}
