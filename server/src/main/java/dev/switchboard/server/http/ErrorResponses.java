package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Optional;

/**
 * Renders every error in OpenRouter's envelope {@code {"error":{"code","message","metadata"}}}, with
 * the HTTP status equal to {@code error.code}. The one place error bodies are made, in-band stream
 * errors included ({@link #errorObject}).
 */
public final class ErrorResponses {
    private final ObjectMapper json;

    public ErrorResponses(ObjectMapper json) {
        this.json = json;
    }

    /** The {@code error} object itself. */
    public ObjectNode errorObject(GatewayException e) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", e.status());
        error.put("message", e.getMessage());
        if (!e.metadata().isEmpty()) {
            error.set("metadata", json.valueToTree(e.metadata()));
        }
        e.availability().ifPresent(availability -> {
            error.put("error_type", e.type().wireName());
            error.put("http_status", e.status());
            ObjectNode out = error.putObject("availability");
            out.put("code", availability.code());
            out.put("retryable", availability.retryable());
            availability.requestedModels().forEach(out.putArray("requested_models")::add);
            if (!availability.excludedBy().isEmpty()) {
                availability.excludedBy().forEach(out.putArray("excluded_by")::add);
            }
        });
        return error;
    }

    public byte[] body(GatewayException e) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("error", errorObject(e));
        return Json.bytes(json, root);
    }

    /**
     * Sends the error as the whole response, with {@code Retry-After} when the error has one (the
     * provider's hint, or the gateway's own when its storage refuses work or a rate limit is reached) and
     * any other headers it carries (a rate limit's {@code X-RateLimit-*}). An error met while reading
     * the body (a 413 above all) closes the connection: the rest of the body is not read, so the
     * connection cannot carry another request, and the client must know not to reuse it.
     */
    public void send(ServerResponse res, GatewayException e) {
        send(res, e, Optional.empty());
    }

    /** As {@link #send(ServerResponse, GatewayException)}, with {@code openrouter_metadata} beside the error. */
    public void send(ServerResponse res, GatewayException e, Optional<ObjectNode> routerMetadata) {
        e.retryAfter().ifPresent(d -> res.header("Retry-After", Long.toString(d.toSeconds())));
        e.headers().forEach((name, value) -> res.header(name, value));
        if (e.type() == ErrorType.PAYLOAD_TOO_LARGE || e instanceof AbandonedBodyException) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        res.status(e.status());
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("error", errorObject(e));
        routerMetadata.ifPresent(m -> root.set("openrouter_metadata", m));
        res.send(Json.bytes(json, root));
    }

    /** A 500 for a bug: the client learns nothing internal. */
    public static GatewayException internal() {
        return new GatewayException(ErrorType.SERVER, "Internal server error", Map.of());
    }
}
