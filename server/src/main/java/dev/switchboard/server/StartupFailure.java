package dev.switchboard.server;

import org.jspecify.annotations.Nullable;

/**
 * The gateway could not start for a reason the operator can fix (the port is taken, the database
 * cannot be opened, the management key is unusable). Its message is one line, safe to print, and says
 * what to change; the command line prints it without a stack trace.
 */
public final class StartupFailure extends RuntimeException {
    public StartupFailure(String message, @Nullable Throwable cause) {
        super(message, cause, false, false);
    }

    public StartupFailure(String message) {
        this(message, null);
    }

    /** The innermost message of a failure chain, which is usually the one that names the problem. */
    @SuppressWarnings("ReferenceEquality") // a chain may end in an exception that is its own cause
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
