package dev.switchboard.aws.eventstream;

/**
 * The framing's fixed sizes and the bounds a reader enforces. The specification lets services send up to
 * 128 KiB of headers and 24 MiB of payload and asks clients not to enforce that; a gateway must bound
 * what it buffers anyway, so the decoder takes its bounds from its caller ({@code
 * upstream.max_event_bytes} for the Bedrock adapter), with these defaults.
 */
public final class EventStreamLimits {
    /** Total length, headers length, prelude CRC. */
    public static final int PRELUDE_BYTES = 12;
    /** The prelude and the message CRC: the size of a message without headers and payload. */
    public static final int OVERHEAD_BYTES = PRELUDE_BYTES + 4;
    /** The longest header name the one-byte length allows. */
    public static final int MAX_HEADER_NAME_BYTES = 255;
    /** The longest string or byte-array header value the two-byte length allows. */
    public static final int MAX_HEADER_VALUE_BYTES = 65_535;
    /** The default bound of one message, prelude and CRC included (AWS's C runtime uses the same). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** The default bound of one message's encoded headers: the specification's 128 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 128 * 1024;

    private EventStreamLimits() {}
}
