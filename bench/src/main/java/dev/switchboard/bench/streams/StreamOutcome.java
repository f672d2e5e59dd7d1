package dev.switchboard.bench.streams;

/**
 * How one stream ended: completed, or the first thing that went wrong with it. Every stream has
 * exactly one outcome, so the error counts add up to the streams that did not complete.
 */
enum StreamOutcome {
    /** Every expected content event, no in-band error, {@code [DONE]}, and the body ended cleanly. */
    COMPLETED("completed"),
    /** The TCP connection could not be made (refused, timed out, no descriptor left). */
    CONNECT("connect"),
    /** The response status was not 2xx. */
    NON_2XX("non_2xx"),
    /** An event carried an {@code "error"} object (the gateway's in-band error chunk). */
    IN_BAND_ERROR("in_band_error"),
    /** The connection ended or was reset before the body's end (no terminating chunk). */
    EARLY_CLOSE("early_close"),
    /** The body ended cleanly without a {@code data: [DONE]} event. */
    MISSING_DONE("missing_done"),
    /** {@code [DONE]} came, but fewer or more content events than the stream was asked for. */
    MISSING_EVENTS("missing_events"),
    /** Nothing arrived for the read timeout, or the stream outlasted the run's deadline. */
    TIMEOUT("timeout"),
    /** The response was not HTTP/1.1 as this client reads it (status line, headers, chunk sizes). */
    MALFORMED("malformed");

    private final String key;

    StreamOutcome(String key) {
        this.key = key;
    }

    /** The name in the summary line and the result files. */
    String key() {
        return key;
    }

    boolean failed() {
        return this != COMPLETED;
    }
}
