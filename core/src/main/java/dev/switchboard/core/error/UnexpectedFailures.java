package dev.switchboard.core.error;

import java.lang.System.Logger.Level;

/**
 * Logs failures that are bugs, not client or provider mistakes: exception classes and stack frames,
 * never messages, because a message may quote request content (a parser quoting the body, say), and
 * prompts and keys must not reach the log.
 */
public final class UnexpectedFailures {
    private static final System.Logger LOG = System.getLogger(UnexpectedFailures.class.getName());

    private UnexpectedFailures() {}

    /**
     * Logs a failure that is a bug of ours, with its stack but without any exception message.
     *
     * @param where what was being done, e.g. {@code "POST /api/v1/chat/completions"}; must hold no request content
     */
    public static void log(String where, Throwable error) {
        LOG.log(Level.ERROR, "Unexpected failure on " + where + ": " + withoutMessages(error));
    }

    public static String withoutMessages(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            out.append(t.equals(error) ? "" : "\ncaused by ")
                    .append(t.getClass().getName());
            for (StackTraceElement frame : t.getStackTrace()) {
                out.append("\n\tat ").append(frame);
            }
            if (t.equals(t.getCause())) {
                break;
            }
        }
        return out.toString();
    }
}
