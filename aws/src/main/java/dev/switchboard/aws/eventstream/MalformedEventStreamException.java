package dev.switchboard.aws.eventstream;

import java.io.IOException;

/**
 * The bytes are not a well-formed event stream: a message cut short, a CRC that does not match, lengths
 * that contradict each other, a header of an unknown type, or a message over the reader's bound. The
 * stream cannot be trusted past it and must be abandoned. The message describes the framing only; it
 * quotes no payload.
 */
public final class MalformedEventStreamException extends IOException {
    /** What was wrong. */
    public enum Reason {
        /** The stream ended inside a message. */
        TRUNCATED,
        /** The prelude's CRC does not match its first eight bytes. */
        PRELUDE_CRC,
        /** The message's CRC does not match its bytes. */
        MESSAGE_CRC,
        /** The total or headers length is impossible (shorter than the framing itself, or headers past the end). */
        BAD_LENGTH,
        /** A message or its headers are longer than the reader accepts. */
        TOO_LARGE,
        /** A header is cut short, has an empty name or an unknown type. */
        BAD_HEADER
    }

    private final Reason reason;

    public MalformedEventStreamException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
