package dev.switchboard.server.iolog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.storage.IoLogStore;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /generation/content?id=} and {@code DELETE /generation/content?id=}: the stored prompt and
 * completion of a logged request (input/output logging, opt-in), for a management key or the key that
 * made the request; deleting takes a management key. A request that was not logged, or whose entry is
 * past its retention, is a 404 like an unknown id.
 */
public final class IoLogEndpoints {
    private final KeyRegistry keys;
    private final IoLogStore store;
    private final ObjectMapper json;

    public IoLogEndpoints(KeyRegistry keys, IoLogStore store, ObjectMapper json) {
        this.keys = keys;
        this.store = store;
        this.json = json;
    }

    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/generation/content", this::get)
                .add(Method.DELETE, "/generation/content", this::delete);
    }

    private void get(ServerRequest req, ServerResponse res) {
        ApiKey caller =
                keys.authenticate(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        String id = id(req);
        IoLogStore.Entry entry = store.find(id)
                .filter(e -> caller.management() || e.keyHash().equals(caller.hash()))
                .orElseThrow(() -> notFound(id));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode data = out.putObject("data");
        data.put("id", entry.generationId());
        data.put("created_at", entry.createdAt().toString());
        data.put("input", entry.input());
        data.put("output", entry.output());
        data.put("truncated", entry.truncated());
        send(res, out);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        keys.authenticateManagement(
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        String id = id(req);
        if (!store.delete(id)) {
            throw notFound(id);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("deleted", true);
        send(res, out);
    }

    private static String id(ServerRequest req) {
        String id = req.query().first("id").orElse("").strip();
        if (id.isEmpty() || id.length() > 128) {
            throw GatewayException.invalidRequest("`id` is required: a generation id (gen-...)");
        }
        return id;
    }

    private static GatewayException notFound(String id) {
        return GatewayException.notFound("No stored content for generation " + id);
    }

    private void send(ServerResponse res, ObjectNode body) {
        res.status(200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }
}
