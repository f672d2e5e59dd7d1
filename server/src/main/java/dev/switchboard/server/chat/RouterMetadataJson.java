package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.pipeline.RouterMetadata;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** {@code openrouter_metadata} as OpenRouter's schema has it, and the header that asks for it. */
final class RouterMetadataJson {
    private static final HeaderName OPT_IN = HeaderNames.create("X-OpenRouter-Metadata");
    private static final HeaderName LEGACY_OPT_IN = HeaderNames.create("X-OpenRouter-Experimental-Metadata");

    private RouterMetadataJson() {}

    /** {@code X-OpenRouter-Metadata: enabled} (or the legacy header); any other value is disabled. */
    static boolean requested(ServerRequest req) {
        return req.headers()
                .first(OPT_IN)
                .or(() -> req.headers().first(LEGACY_OPT_IN))
                .map(value -> value.strip().equalsIgnoreCase("enabled"))
                .orElse(false);
    }

    static ObjectNode render(RouterMetadata metadata) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("requested", metadata.requested());
        out.put("strategy", metadata.strategy());
        out.putNull("region");
        out.put("summary", metadata.summary());
        out.put("attempt", metadata.attempt());
        out.put("is_byok", metadata.byok());
        ObjectNode endpoints = out.putObject("endpoints");
        endpoints.put("total", metadata.total());
        ArrayNode available = endpoints.putArray("available");
        for (RouterMetadata.Endpoint endpoint : metadata.endpoints()) {
            available
                    .addObject()
                    .put("provider", endpoint.provider())
                    .put("model", endpoint.model())
                    .put("selected", endpoint.selected());
        }
        ArrayNode attempts = out.putArray("attempts");
        for (RouterMetadata.AttemptMade attempt : metadata.attempts()) {
            attempts.addObject()
                    .put("provider", attempt.provider())
                    .put("model", attempt.model())
                    .put("status", attempt.status());
        }
        return out;
    }
}
