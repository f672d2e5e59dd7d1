package dev.switchboard.aws.sigv4;

import java.util.Objects;

/** One header line of a request to sign, as it is sent; a name may appear more than once. */
public record HttpHeader(String name, String value) {
    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
