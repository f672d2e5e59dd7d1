package dev.switchboard.simulator;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The failure a request asks the simulator to act out, named on the wire by {@link #wireName()}
 * in the {@code fault} control.
 */
enum Fault {
    /** A normal answer. */
    NONE("none", false),
    /** An HTTP error status with an OpenAI error body and optional {@code Retry-After}. */
    STATUS("status", false),
    /** No status line at all: wait, then close the connection without a response. */
    HANG_BEFORE_HEADERS("hang_before_headers", false),
    /** Some token chunks, then the connection is dropped without a terminating chunk. */
    RESET_MID_STREAM("reset_mid_stream", true),
    /** Some token chunks, then one event whose data is not JSON, then the rest as usual. */
    MALFORMED_CHUNK("malformed_chunk", true),
    /** Some token chunks, then silence on an open connection, then the rest as usual. */
    STALL_MID_STREAM("stall_mid_stream", true),
    /** Status 200 and a zero-length body. */
    EMPTY_BODY("empty_body", false);

    private final String wireName;
    private final boolean midStream;

    Fault(String wireName, boolean midStream) {
        this.wireName = wireName;
        this.midStream = midStream;
    }

    String wireName() {
        return wireName;
    }

    /** Whether the fault strikes after {@code fault_after_tokens} token chunks. */
    boolean midStream() {
        return midStream;
    }

    static Optional<Fault> parse(String wireName) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(wireName)).findFirst();
    }

    static String allWireNames() {
        return Arrays.stream(values()).map(Fault::wireName).collect(Collectors.joining(", "));
    }
}
