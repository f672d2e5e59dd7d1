package dev.switchboard.core.pipeline;

import org.jspecify.annotations.Nullable;

/** The client's connection failed (it went away) while the gateway was writing to it. */
public final class ClientGoneException extends RuntimeException {
    public ClientGoneException(@Nullable Throwable cause) {
        super("client connection closed", cause, false, false);
    }
}
