package dev.switchboard.provider.http;

import java.io.IOException;

/** The HTTP client failed while reading an upstream body: a broken connection or bytes that are not HTTP. */
public final class UpstreamReadException extends IOException {
    public UpstreamReadException(Throwable cause) {
        super("upstream read failed", cause);
    }
}
