package dev.switchboard.bench.streams;

import java.io.IOException;

/** The response is not HTTP/1.1 as {@link ResponseInput} and {@link HttpBody} read it. */
final class MalformedResponse extends IOException {
    MalformedResponse(String message) {
        super(message);
    }
}
