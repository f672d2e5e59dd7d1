package dev.switchboard.server.http;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.catalog.CatalogEndpoints;
import dev.switchboard.server.chat.ChatCompletionsEndpoint;
import dev.switchboard.server.generation.GenerationEndpoint;
import dev.switchboard.server.keys.KeyEndpoints;
import dev.switchboard.server.metrics.GatewayMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;

import java.lang.System.Logger.Level;

/**
 * The API surface, mounted under {@code /api/v1} and {@code /v1}. Every handler is guarded: a
 * {@link GatewayException} becomes its error envelope, anything else a masked 500 (logged without
 * request content). Repeated slashes ({@code /api/v1//chat/completions}, from a base URL with a
 * trailing slash) are folded and a trailing slash ({@code /api/v1/models/}) is dropped before
 * routing; unknown paths get a 404 envelope. Beside the API:
 * {@code GET /health} and {@code GET /metrics} (Prometheus text; bind to loopback or put it behind your
 * proxy's access control, like the rest of the admin surface).
 */
public final class ApiRoutes implements HttpService {
    private static final System.Logger LOG = System.getLogger(ApiRoutes.class.getName());
    private final ChatCompletionsEndpoint chat;
    private final CatalogEndpoints catalog;
    private final KeyEndpoints keys;
    private final GenerationEndpoint generations;
    private final ErrorResponses errors;
    private final GatewayMetrics metrics;

    public ApiRoutes(ChatCompletionsEndpoint chat, CatalogEndpoints catalog, KeyEndpoints keys,
                     GenerationEndpoint generations, ErrorResponses errors, GatewayMetrics metrics) {
        this.chat = chat;
        this.catalog = catalog;
        this.keys = keys;
        this.generations = generations;
        this.errors = errors;
        this.metrics = metrics;
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
        routing.get("/health", (req, res) -> res.send("{\"status\":\"ok\"}"));
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
        routing.register("/api/v1", this);
        routing.register("/v1", this);
        routing.any(guard((req, res) -> {
            throw GatewayException.notFound("No route for " + req.prologue().method().text() + " " + req.path().path());
        }));
    }

    /** The path with repeated slashes folded into one and without a trailing slash. */
    static String folded(String path) {
        String folded = path.contains("//") ? path.replaceAll("/{2,}", "/") : path;
        return folded.length() > 1 && folded.endsWith("/") ? folded.substring(0, folded.length() - 1) : folded;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/chat/completions", guard(chat::handle))
                .get("/models", guard(catalog::models))
                .get("/models/{author}/{slug}/endpoints", guard(catalog::endpoints))
                .get("/providers", guard(catalog::providers))
                .get("/key", guard(keys::current))
                .get("/keys", guard(keys::list))
                .post("/keys", guard(keys::create))
                .get("/keys/{hash}", guard(keys::get))
                .route(Method.PATCH, "/keys/{hash}", guard(keys::update))
                .delete("/keys/{hash}", guard(keys::delete))
                .get("/generation", guard(generations::get));
    }

    private Handler guard(Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (GatewayException e) {
                sendIfPossible(res, e);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Unexpected failure on " + req.prologue().method().text() + " " + req.path().path()
                        + ": " + withoutMessages(e));
                sendIfPossible(res, ErrorResponses.internal());
            }
        };
    }

    /**
     * Exception classes and stack frames, never messages: a message may quote request content (a
     * parser quoting the body, say), and prompts and keys must not reach the log.
     */
    static String withoutMessages(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            out.append(t == error ? "" : "\ncaused by ").append(t.getClass().getName());
            for (StackTraceElement frame : t.getStackTrace()) {
                out.append("\n\tat ").append(frame);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return out.toString();
    }

    private void sendIfPossible(ServerResponse res, GatewayException e) {
        if (!res.isSent()) {
            errors.send(res, e);
        }
    }
}
