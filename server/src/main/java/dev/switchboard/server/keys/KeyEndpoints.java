package dev.switchboard.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.CreatedKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.limits.FreeModelUsage;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.RequestBodies;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Key provisioning ({@code /keys}, management key only) and {@code GET /key} (the calling key).
 * A new key's secret is in the 201 response and nowhere else; keys are addressed by their SHA-256 hash.
 * Spending fields ({@code limit}, {@code limit_reset}, {@code include_byok_in_limit}, {@code expires_at})
 * are read by {@link KeySpendingFields}, the key's own {@code rate_limit} by {@link KeyRateLimitFields}. Fields of workspaces and users are accepted with the value that
 * means "the default" (what SDKs send when the caller set nothing: {@code null}, workspace
 * {@code "default"}), and refused with 400 for any other value until they are implemented, rather than
 * silently ignored.
 */
public final class KeyEndpoints {
    private static final Set<String> CREATE_FIELDS =
            Set.of("name", "management", "limit", "limit_reset", "include_byok_in_limit", "expires_at", "rate_limit");
    private static final Set<String> PATCH_FIELDS =
            Set.of("name", "disabled", "limit", "limit_reset", "include_byok_in_limit", "expires_at", "rate_limit");
    /** Fields not implemented yet, each with the test for the value that asks for nothing. */
    private static final Map<String, Predicate<JsonNode>> NOT_YET_AT_DEFAULT = Map.of(
            "creator_user_id", JsonNode::isNull, "workspace_id", v -> v.isNull() || "default".equals(v.textValue()));

    private final KeyRegistry keys;
    private final RequestBodies bodies;
    private final ObjectMapper json;
    private final KeyRenderer renderer;

    /**
     * @param everGranted    whether a workspace was ever granted credits ({@code is_free_tier} is the opposite)
     * @param freeModelUsage a workspace's free-model requests today ({@code free_model_daily_requests})
     */
    public KeyEndpoints(
            KeyRegistry keys,
            GenerationLog generations,
            RequestBodies bodies,
            ObjectMapper json,
            Clock clock,
            java.util.function.Predicate<String> everGranted,
            Function<String, FreeModelUsage> freeModelUsage) {
        this.keys = keys;
        this.bodies = bodies;
        this.json = json;
        this.renderer = new KeyRenderer(generations, clock, everGranted, freeModelUsage);
    }

    /** Registers the key API's routes. */
    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/key", this::current)
                .add(Method.GET, "/keys", this::list)
                .add(Method.POST, "/keys", this::create)
                .add(Method.GET, "/keys/{hash}", this::get)
                .add(Method.PATCH, "/keys/{hash}", this::update)
                .add(Method.DELETE, "/keys/{hash}", this::delete);
    }

    public void current(ServerRequest req, ServerResponse res) {
        ApiKey key = keys.authenticate(authorization(req));
        send(res, 200, data(renderer.currentKey(key)));
    }

    public void list(ServerRequest req, ServerResponse res) {
        keys.authenticateManagement(authorization(req));
        boolean includeDisabled =
                req.query().first("include_disabled").map(Boolean::parseBoolean).orElse(false);
        int offset = nonNegative(req.query().first("offset").orElse("0"), "offset");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        keys.list(includeDisabled, offset, 100).forEach(k -> data.add(renderer.keyObject(k)));
        send(res, 200, body);
    }

    public void create(ServerRequest req, ServerResponse res) {
        keys.authenticateManagement(authorization(req));
        JsonNode body = objectBody(req, CREATE_FIELDS);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw invalid("name", "`name` is required and must be a non-empty string");
        }
        boolean management = optionalBoolean(body, "management").orElse(false);
        ApiKey.Spending spending = KeySpendingFields.read(body)
                .map(change -> change.apply(ApiKey.Spending.UNLIMITED))
                .orElse(ApiKey.Spending.UNLIMITED);
        RateLimit rateLimit = KeyRateLimitFields.read(body)
                .map(change -> change.apply(RateLimit.NONE))
                .orElse(RateLimit.NONE);
        CreatedKey created = keys.create(name.asText().strip(), management, spending, rateLimit);
        ObjectNode out = data(renderer.keyObject(created.key()));
        out.put("key", created.secret());
        send(res, 201, out);
    }

    public void get(ServerRequest req, ServerResponse res) {
        keys.authenticateManagement(authorization(req));
        send(res, 200, data(renderer.keyObject(find(req))));
    }

    public void update(ServerRequest req, ServerResponse res) {
        keys.authenticateManagement(authorization(req));
        ApiKey key = find(req);
        JsonNode body = objectBody(req, PATCH_FIELDS);
        Optional<String> name = Optional.empty();
        if (body.has("name")) {
            if (!body.get("name").isTextual() || body.get("name").asText().isBlank()) {
                throw invalid("name", "`name` must be a non-empty string");
            }
            name = Optional.of(body.get("name").asText().strip());
        }
        ApiKey updated = keys.update(
                key.hash(),
                name,
                optionalBoolean(body, "disabled"),
                KeySpendingFields.read(body),
                KeyRateLimitFields.read(body));
        send(res, 200, data(renderer.keyObject(updated)));
    }

    public void delete(ServerRequest req, ServerResponse res) {
        keys.authenticateManagement(authorization(req));
        keys.delete(find(req).hash());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("deleted", true);
        send(res, 200, body);
    }

    private ApiKey find(ServerRequest req) {
        String hash = req.path().pathParameters().get("hash");
        return keys.find(hash).orElseThrow(() -> GatewayException.notFound("No key with hash " + hash));
    }

    private JsonNode objectBody(ServerRequest req, Set<String> allowed) {
        JsonNode body = bodies.readJson(req);
        if (!body.isObject()) {
            throw GatewayException.invalidRequest("Request body must be a JSON object");
        }
        body.properties().forEach(entry -> {
            String field = entry.getKey();
            boolean harmless =
                    NOT_YET_AT_DEFAULT.getOrDefault(field, v -> false).test(entry.getValue());
            if (!allowed.contains(field) && !harmless) {
                throw invalid(
                        field,
                        "`" + field + "` is not supported by this gateway yet (supported: "
                                + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        });
        return body;
    }

    private static Optional<Boolean> optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw invalid(field, "`" + field + "` must be a boolean");
        }
        return Optional.of(value.asBoolean());
    }

    private static int nonNegative(String value, String name) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(name, "`" + name + "` must be a non-negative integer");
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }

    private static @Nullable String authorization(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
    }

    private static ObjectNode data(ObjectNode value) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("data", value);
        return out;
    }

    private void send(ServerResponse res, int status, ObjectNode body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }
}
