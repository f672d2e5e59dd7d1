package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /v1/models}: the OpenAI model list of the models the simulator advertises. Chat
 * requests accept any model name; this list is only what a model picker would show.
 * Serialised once; thread-safe.
 */
final class ModelsHandler implements Handler {

    static final List<String> MODELS = List.of("sim-small", "sim-large", "sim-reasoning");
    /** A fixed date (2024-01-01), so the list is identical on every run. */
    private static final long CREATED = 1_704_067_200L;

    private final byte[] body;

    ModelsHandler() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String model : MODELS) {
            data.addObject()
                    .put("id", model)
                    .put("object", "model")
                    .put("created", CREATED)
                    .put("owned_by", "switchboard-simulator");
        }
        this.body = root.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }
}
