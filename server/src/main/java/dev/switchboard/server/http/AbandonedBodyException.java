package dev.switchboard.server.http;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.util.Map;

/**
 * A client error met while reading the request body (too large, not the encoding it claims, an encoding
 * the gateway refuses, broken framing). The rest of the body stays unread, so the connection cannot carry
 * another request: the error response says {@code Connection: close} and the connection is closed after
 * it, and a client never sends its next request on a connection the gateway is about to close.
 */
public final class AbandonedBodyException extends GatewayException {
    public AbandonedBodyException(ErrorType type, String message, Map<String, Object> metadata) {
        super(type, message, metadata);
    }
}
