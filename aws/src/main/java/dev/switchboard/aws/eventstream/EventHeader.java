package dev.switchboard.aws.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One header of a message: a name of 1 to 255 UTF-8 bytes and a typed value. */
public record EventHeader(String name, HeaderValue value) {
    public EventHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        if (length < 1 || length > EventStreamLimits.MAX_HEADER_NAME_BYTES) {
            throw new IllegalArgumentException("a header name has 1 to 255 bytes");
        }
    }

    /** A string header. */
    public static EventHeader text(String name, String value) {
        return new EventHeader(name, new HeaderValue.Text(value));
    }
}
