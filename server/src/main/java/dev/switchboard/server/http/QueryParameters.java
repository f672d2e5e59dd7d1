package dev.switchboard.server.http;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import io.helidon.webserver.http.ServerRequest;
import java.util.Map;
import java.util.Optional;

/** Reads the query parameters the management endpoints share; a bad one is a 400 naming it. */
public final class QueryParameters {
    private QueryParameters() {}

    /** The integer parameter {@code name}, from {@code min} to {@code max}; {@code absent} when missing or blank. */
    public static int integer(ServerRequest req, String name, int absent, int min, int max) {
        return integer(req.query().first(name).asOptional(), name, absent, min, max);
    }

    /** {@code value} as an integer from {@code min} to {@code max}; {@code absent} when missing or blank. */
    public static int integer(Optional<String> value, String name, int absent, int min, int max) {
        String text = value.orElse("").strip();
        if (text.isEmpty()) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(text);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new GatewayException(
                ErrorType.INVALID_REQUEST,
                "`" + name + "` must be an integer from " + min + " to " + max,
                Map.of("param", name));
    }
}
