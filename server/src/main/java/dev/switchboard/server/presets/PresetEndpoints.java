package dev.switchboard.server.presets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.preset.DesignatedPreset;
import dev.switchboard.core.preset.PresetConfig;
import dev.switchboard.core.preset.PresetRegistry;
import dev.switchboard.core.preset.PresetSlug;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.provider.openai.OpenAiChatRequests;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.QueryParameters;
import dev.switchboard.server.http.RequestBodies;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/**
 * The preset API ({@code /presets}, management key only), in OpenRouter's shapes: list (most recently
 * updated first), get one by slug with its designated version, list its versions (oldest first) or get
 * one by number, and create a preset or a new version of one from a chat-completions body
 * ({@code POST /presets/{slug}/chat/completions}; what is kept is {@link PresetConfig}'s to say). The
 * new version becomes the designated one at once. A configuration is checked as a chat-completions
 * request would be, so a preset that every request using it would fail on is refused when it is made.
 * Listings take {@code offset} (from 0) and {@code limit} (1 to {@value #MAX_LIMIT}, default
 * {@value #DEFAULT_LIMIT}); a value out of range is a 400, not quietly corrected.
 */
public final class PresetEndpoints {
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 50;
    /** Stands in for the model of a preset that names none while its configuration is checked. */
    private static final String PROBE_MODEL = "switchboard/preset-check";

    private final KeyRegistry keys;
    private final PresetRegistry presets;
    private final RequestBodies bodies;
    private final ObjectMapper json;
    private final PresetRenderer renderer;

    public PresetEndpoints(KeyRegistry keys, PresetRegistry presets, RequestBodies bodies, ObjectMapper json) {
        this.keys = keys;
        this.presets = presets;
        this.bodies = bodies;
        this.json = json;
        this.renderer = new PresetRenderer(presets);
    }

    /** Registers the preset API's routes. */
    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/presets", this::list)
                .add(Method.GET, "/presets/{slug}", this::get)
                .add(Method.POST, "/presets/{slug}/chat/completions", this::createFromChatCompletions)
                .add(Method.GET, "/presets/{slug}/versions", this::versions)
                .add(Method.GET, "/presets/{slug}/versions/{version}", this::version);
    }

    public void list(ServerRequest req, ServerResponse res) {
        authenticate(req);
        send(res, PresetRenderer.list(presets.list(offset(req), limit(req)), renderer::preset));
    }

    public void get(ServerRequest req, ServerResponse res) {
        authenticate(req);
        String slug = slug(req);
        DesignatedPreset preset = presets.find(slug).orElseThrow(() -> notFound(slug));
        send(res, PresetRenderer.data(renderer.withDesignatedVersion(preset)));
    }

    public void createFromChatCompletions(ServerRequest req, ServerResponse res) {
        ApiKey key = authenticate(req);
        String slug = slug(req);
        JsonNode body = bodies.readJson(req);
        if (!(body instanceof ObjectNode request)) {
            throw GatewayException.invalidRequest("Request body must be a JSON object");
        }
        PresetConfig config = PresetConfig.fromChatCompletions(request);
        checkAsARequest(config.config());
        send(res, PresetRenderer.data(renderer.withDesignatedVersion(presets.addVersion(slug, config, key.hash()))));
    }

    public void versions(ServerRequest req, ServerResponse res) {
        authenticate(req);
        String slug = slug(req);
        int offset = offset(req);
        int limit = limit(req);
        send(
                res,
                PresetRenderer.list(
                        presets.versions(slug, offset, limit).orElseThrow(() -> notFound(slug)), renderer::version));
    }

    public void version(ServerRequest req, ServerResponse res) {
        authenticate(req);
        String slug = slug(req);
        int number = versionNumber(req.path().pathParameters().get("version"));
        send(
                res,
                PresetRenderer.data(renderer.version(presets.version(slug, number)
                        .orElseThrow(
                                () -> GatewayException.notFound("Preset '" + slug + "' has no version " + number)))));
    }

    /** Reads the configuration with one placeholder message (and model, when it names none) as the dialect would. */
    private static void checkAsARequest(ObjectNode config) {
        ObjectNode probe = config.deepCopy();
        probe.putArray("messages").addObject().put("role", "user").put("content", "");
        JsonNode model = probe.get("model");
        JsonNode models = probe.get("models");
        if ((model == null || model.isNull()) && (models == null || models.isNull())) {
            probe.put("model", PROBE_MODEL);
        }
        OpenAiChatRequests.read(probe, Attribution.NONE);
    }

    private ApiKey authenticate(ServerRequest req) {
        return keys.authenticateManagement(
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
    }

    private static String slug(ServerRequest req) {
        return PresetSlug.check(req.path().pathParameters().get("slug"), "slug");
    }

    private static int offset(ServerRequest req) {
        return QueryParameters.integer(req, "offset", 0, 0, Integer.MAX_VALUE);
    }

    private static int limit(ServerRequest req) {
        return QueryParameters.integer(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    private static int versionNumber(String value) {
        try {
            int number = Integer.parseInt(value);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new GatewayException(
                ErrorType.INVALID_REQUEST, "A preset version is a number from 1", Map.of("param", "version"));
    }

    private static GatewayException notFound(String slug) {
        return GatewayException.notFound("Preset '" + slug + "' not found");
    }

    private void send(ServerResponse res, ObjectNode body) {
        res.status(200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }
}
