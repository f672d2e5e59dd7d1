package dev.switchboard.server.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * Makes every exchange leave its connection in a state where the next request is read from its true
 * start, or closes the connection.
 *
 * <p>Design note. Once a handler has answered, the bytes left on the connection must be exactly the
 * next request. Two things break that in the web server we run on (Helidon 4.5.0,
 * helidon-io/helidon#12324): a response that says {@code Connection: close} does not close the
 * connection, and the body of such a request is not read, so the unread body bytes are parsed as a
 * further request (request smuggling). This filter runs around every route and, after the handler:
 * <ul>
 *   <li>closes the connection when the response or the request says {@code Connection: close}
 *       (the 413 path, a client's own {@code Connection: close}), after reading and discarding up to
 *       {@value RequestBodies#MAX_LINGER_BYTES} bytes of a body still arriving, within the body deadline:
 *       a client still sending when the connection closes gets a reset, which can discard the answer
 *       before the client reads it;</li>
 *   <li>otherwise discards a body the handler left unread, up to {@value RequestBodies#MAX_DRAIN_BYTES}
 *       bytes and within the body deadline; a larger, broken or late body closes the connection.</li>
 * </ul>
 * Closing is done by throwing the server's {@link CloseConnectionException}, which ends its connection
 * loop after the response already written. Requests without a body pay one flag read. Every route is
 * guarded ({@link ApiRoutes}), so the chain returns normally; should it throw, the server's own error
 * handling answers and this filter stays out of its way.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConnectionHygiene implements Filter {
    private final RequestBodies bodies;

    public ConnectionHygiene(RequestBodies bodies) {
        this.bodies = bodies;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        afterExchange(req, res);
    }

    private void afterExchange(ServerRequest req, RoutingResponse res) {
        if (closeRequested(req, res)) {
            // read what the client is still sending (bounded) so that it reads the answer, not a reset
            bodies.drainUnread(req, RequestBodies.MAX_LINGER_BYTES);
            throw new CloseConnectionException("the exchange asked to close the connection");
        }
        if (!bodies.drainUnread(req)) {
            throw new CloseConnectionException("the request body was not read and could not be discarded");
        }
    }

    private static boolean closeRequested(ServerRequest req, RoutingResponse res) {
        return res.headers().containsToken(HeaderValues.CONNECTION_CLOSE)
                || req.headers().containsToken(HeaderValues.CONNECTION_CLOSE);
    }
}
