package dev.switchboard.provider.http;

import dev.switchboard.core.upstream.CallControl;

import java.io.InputStream;

/**
 * Benchmark access to the upstream body wrapper: lives in the bench module, in the package of the
 * package-private class it exposes. Not part of the gateway.
 */
public final class BenchStreams {
    private BenchStreams() {
    }

    /** {@code in} as the gateway reads an upstream body: every read bracketed for {@link CallControl}. */
    public static InputStream controlled(InputStream in, CallControl control) {
        return new ControlledInputStream(in, control);
    }
}
