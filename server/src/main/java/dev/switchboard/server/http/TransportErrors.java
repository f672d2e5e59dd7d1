package dev.switchboard.server.http;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.util.Map;

/**
 * Renders the requests the web server turns away before routing (a declared body over the limit, a
 * malformed request line or header) in the same error envelope as everything else. The server's own
 * message is not passed on: it may quote the request. Stateless and thread-safe.
 */
public final class TransportErrors implements DirectHandler {
    private final ErrorResponses errors;
    private final RequestBodies bodies;

    public TransportErrors(ErrorResponses errors, RequestBodies bodies) {
        this.errors = errors;
        this.bodies = bodies;
    }

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status status,
            ServerResponseHeaders headers,
            String message) {
        // Helidon reports a declared length over the limit as BAD_REQUEST with status 413
        boolean tooLarge =
                eventType == EventType.PAYLOAD_TOO_LARGE || status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code();
        GatewayException error = tooLarge
                ? bodies.tooLarge()
                : new GatewayException(
                        status.code() < 500 ? ErrorType.INVALID_REQUEST : ErrorType.SERVER,
                        status.code(),
                        status.reasonPhrase(),
                        Map.of());
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        if (tooLarge) {
            headers.set(HeaderValues.CONNECTION_CLOSE);
        }
        return TransportResponse.builder()
                // the server's own status keeps its reason phrase (431 has none in Status.create(431))
                .status(error.status() == status.code() ? status : Status.create(error.status()))
                .headers(headers)
                .entity(errors.body(error))
                .build();
    }
}
