package dev.switchboard.simulator;

/**
 * Thrown while reading a request that cannot be served; carries the error to answer with.
 * Built without a stack trace: it is control flow, not a bug report.
 */
final class RequestRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient OpenAiError error;

    RequestRejected(OpenAiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    OpenAiError error() {
        return error;
    }
}
