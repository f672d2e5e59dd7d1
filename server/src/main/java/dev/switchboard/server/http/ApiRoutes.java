package dev.switchboard.server.http;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UnexpectedFailures;
import dev.switchboard.core.storage.StorageException;
import dev.switchboard.server.health.HealthCheck;
import dev.switchboard.server.metrics.GatewayMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The API surface, mounted under {@code /api/v1} and {@code /v1}. Every handler is guarded: a
 * {@link GatewayException} becomes its error envelope, a {@link StorageException} a 503 with
 * {@code Retry-After} (logged in the store's words, which name no request content), anything else a
 * masked 500 (logged without request content). Repeated slashes ({@code /api/v1//chat/completions}, from a base URL with a
 * trailing slash) are folded and a trailing slash ({@code /api/v1/models/}) is dropped before
 * routing; unknown paths get a 404 envelope, and a known path asked with another method a 405 with
 * {@code Allow}. Beside the API:
 * {@code GET /health} ({@link HealthCheck}) and {@code GET /metrics} (Prometheus text; bind to loopback
 * or put it behind your proxy's access control, like the rest of the admin surface).
 */
public final class ApiRoutes implements HttpService {
    private static final System.Logger LOG = System.getLogger(ApiRoutes.class.getName());
    private static final List<String> API_BASES = List.of("/api/v1", "/v1");
    /** How long a client should wait after a storage failure; a full disk is not freed in a second. */
    private static final Duration STORAGE_RETRY_AFTER = Duration.ofSeconds(5);

    private final List<ApiRouteTable.Route> routes;
    private final ErrorResponses errors;
    private final GatewayMetrics metrics;
    private final HealthCheck health;

    public ApiRoutes(ApiRouteTable table, ErrorResponses errors, GatewayMetrics metrics, HealthCheck health) {
        this.routes = table.routes();
        this.errors = errors;
        this.metrics = metrics;
        this.health = health;
    }

    /** Installs the API and the fallbacks on a routing builder. */
    public void install(HttpRouting.Builder routing) {
        routing.any((req, res) -> {
            String path = req.path().rawPath();
            String folded = folded(path);
            if (!folded.equals(path)) {
                res.reroute(folded, req.query());
            } else {
                res.next();
            }
        });
        routing.get("/health", health::handle);
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
        API_BASES.forEach(base -> routing.register(base, this));
        routing.any(guard(this::unrouted));
    }

    /** The path with repeated slashes folded into one and without a trailing slash. */
    static String folded(String path) {
        String folded = path.contains("//") ? path.replaceAll("/{2,}", "/") : path;
        return folded.length() > 1 && folded.endsWith("/") ? folded.substring(0, folded.length() - 1) : folded;
    }

    @Override
    public void routing(HttpRules rules) {
        for (ApiRouteTable.Route route : routes) {
            rules.route(route.method(), route.path(), guard(route.handler()));
        }
    }

    /** 405 with {@code Allow} for a known path asked with another method; 404 for an unknown path. */
    private void unrouted(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        String method = req.prologue().method().text();
        List<String> allowed = API_BASES.stream()
                .filter(base -> path.startsWith(base + "/"))
                .map(base -> path.substring(base.length()))
                .flatMap(under -> routes.stream().filter(route -> route.matches(under)))
                .map(route -> route.method().text())
                .distinct()
                .toList();
        if (allowed.isEmpty()) {
            throw GatewayException.notFound("No route for " + method + " " + path);
        }
        res.header(HeaderNames.ALLOW, String.join(", ", allowed));
        throw new GatewayException(
                ErrorType.METHOD_NOT_ALLOWED,
                method + " is not allowed on " + path + "; use " + String.join(" or ", allowed),
                Map.of());
    }

    /**
     * Runs a handler so that whatever it throws is answered: its envelope for a {@link GatewayException},
     * a masked 500 for anything else, an {@link Error} included (the server survives an
     * {@link OutOfMemoryError} in one request, and the client must still get an answer). The server's
     * {@link CloseConnectionException} passes through: it ends the connection, which is the answer.
     */
    private Handler guard(Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (CloseConnectionException e) {
                throw e;
            } catch (GatewayException e) {
                sendIfPossible(req, res, e);
            } catch (StorageException e) {
                LOG.log(
                        Level.WARNING,
                        req.prologue().method().text() + " " + req.path().path() + " answered 503, the"
                                + " database failed: " + e.getMessage());
                sendIfPossible(req, res, GatewayException.storageUnavailable(e.reason(), STORAGE_RETRY_AFTER));
            } catch (RuntimeException | Error e) {
                UnexpectedFailures.log(
                        req.prologue().method().text() + " " + req.path().path(), e);
                sendIfPossible(req, res, ErrorResponses.internal());
            }
        };
    }

    /**
     * Sends the error unless a response has begun. A body left unread that is too large to be discarded
     * closes the connection ({@link ConnectionHygiene}), so the response says so and the client does not
     * send another request on it.
     */
    private void sendIfPossible(ServerRequest req, ServerResponse res, GatewayException e) {
        if (res.isSent()) {
            return;
        }
        if (!req.content().consumed()
                && req.headers().contentLength().orElse(Long.MAX_VALUE) > RequestBodies.MAX_DRAIN_BYTES) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        errors.send(res, e);
    }
}
