package dev.switchboard.simulator;

/**
 * A write or flush to the client failed: the client has gone. Expected in normal operation, so
 * it carries no stack trace and is never logged.
 */
final class ClientDisconnected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ClientDisconnected(Throwable cause) {
        super("client disconnected", cause, false, false);
    }
}
