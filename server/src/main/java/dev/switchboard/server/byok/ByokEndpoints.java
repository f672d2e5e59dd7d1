package dev.switchboard.server.byok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.byok.ByokChange;
import dev.switchboard.core.byok.ByokKey;
import dev.switchboard.core.byok.ByokRegistry;
import dev.switchboard.core.byok.NewByokKey;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.QueryParameters;
import dev.switchboard.server.http.RequestBodies;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The BYOK API ({@code /byok}, management key only), in OpenRouter's shapes: list a workspace's
 * credentials ({@code workspace_id}, else {@code default}; {@code provider}; {@code offset} and
 * {@code limit} 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}), create one (201), get, change
 * ({@code key} replaces the secret in place) and delete one by id. The provider key is write-only: no
 * response holds more of it than its masked {@code label}. Fields are read strictly by {@link ByokFields};
 * a field this gateway does not know is a 400, as is a provider that is not in its catalog.
 * Switchboard's own fields: {@code always_use} (when the credential's provider is planned, its shared
 * endpoints are not) and {@code sort_order} on create and change.
 */
public final class ByokEndpoints {
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 50;
    private static final Set<String> SETTINGS = Set.of(
            "key",
            "name",
            "disabled",
            "is_fallback",
            "always_use",
            "sort_order",
            "allowed_models",
            "allowed_api_key_hashes",
            "allowed_user_ids");
    private static final Set<String> CREATE_FIELDS = union(SETTINGS, Set.of("provider", "workspace_id"));

    private final KeyRegistry keys;
    private final ByokRegistry registry;
    private final List<String> providers;
    private final RequestBodies bodies;
    private final ObjectMapper json;

    /** @param providers the slugs of the catalog's providers, the ones a credential may be for */
    public ByokEndpoints(
            KeyRegistry keys, ByokRegistry registry, List<String> providers, RequestBodies bodies, ObjectMapper json) {
        this.keys = keys;
        this.registry = registry;
        this.providers = List.copyOf(new TreeSet<>(providers));
        this.bodies = bodies;
        this.json = json;
    }

    /** Registers the BYOK API's routes. */
    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/byok", this::list)
                .add(Method.POST, "/byok", this::create)
                .add(Method.GET, "/byok/{id}", this::get)
                .add(Method.PATCH, "/byok/{id}", this::update)
                .add(Method.DELETE, "/byok/{id}", this::delete);
    }

    public void list(ServerRequest req, ServerResponse res) {
        ApiKey caller = authenticate(req);
        String workspace = req.query()
                .first("workspace_id")
                .filter(w -> !w.isBlank())
                .map(ByokFields::checkedWorkspace)
                .orElse(caller.workspaceId());
        Optional<String> provider =
                req.query().first("provider").filter(p -> !p.isBlank()).map(p -> ByokFields.provider(p, providers));
        ByokRegistry.Listing page = registry.list(
                workspace,
                provider,
                QueryParameters.integer(req, "offset", 0, 0, Integer.MAX_VALUE),
                QueryParameters.integer(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
        send(res, 200, ByokRenderer.list(page.keys(), page.total()));
    }

    public void create(ServerRequest req, ServerResponse res) {
        ApiKey caller = authenticate(req);
        ByokFields fields = fields(req, CREATE_FIELDS);
        String provider = fields.provider(providers);
        String workspace = fields.workspace(caller.workspaceId());
        fields.noUserAllowlist();
        Optional<List<String>> hashes = fields.allowedKeyHashes().flatMap(h -> h);
        hashes.ifPresent(h -> checkKeysOf(workspace, h));
        ByokKey created = registry.create(new NewByokKey(
                workspace,
                provider,
                fields.secret(),
                fields.name().flatMap(n -> n),
                fields.bool("disabled").orElse(false),
                fields.bool("is_fallback").orElse(false),
                fields.bool("always_use").orElse(false),
                fields.sortOrder(),
                fields.allowedModels().flatMap(m -> m),
                hashes));
        send(res, 201, ByokRenderer.data(ByokRenderer.key(created)));
    }

    public void get(ServerRequest req, ServerResponse res) {
        authenticate(req);
        send(res, 200, ByokRenderer.data(ByokRenderer.key(find(req))));
    }

    public void update(ServerRequest req, ServerResponse res) {
        authenticate(req);
        ByokKey current = find(req);
        ByokFields fields = fields(req, SETTINGS);
        fields.noUserAllowlist();
        Optional<Optional<List<String>>> hashes = fields.allowedKeyHashes();
        hashes.flatMap(h -> h).ifPresent(h -> checkKeysOf(current.workspaceId(), h));
        ByokChange change = new ByokChange(
                fields.has("key") ? Optional.of(fields.secret()) : Optional.empty(),
                fields.name(),
                fields.bool("disabled"),
                fields.bool("is_fallback"),
                fields.bool("always_use"),
                fields.sortOrder(),
                fields.allowedModels(),
                hashes);
        send(res, 200, ByokRenderer.data(ByokRenderer.key(registry.update(current.id(), change))));
    }

    public void delete(ServerRequest req, ServerResponse res) {
        authenticate(req);
        registry.delete(find(req).id());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("deleted", true);
        send(res, 200, body);
    }

    /** 400 unless every hash is a key of the workspace. */
    private void checkKeysOf(String workspace, List<String> hashes) {
        for (String hash : hashes) {
            if (keys.find(hash).filter(k -> k.workspaceId().equals(workspace)).isEmpty()) {
                throw ByokFields.invalid(
                        "allowed_api_key_hashes", "No API key of workspace " + workspace + " has hash " + hash);
            }
        }
    }

    private ByokKey find(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        return registry.find(id)
                .orElseThrow(() -> GatewayException.notFound(
                        "No BYOK key with id " + (id.length() <= 64 ? id : id.substring(0, 64) + "...")));
    }

    private ByokFields fields(ServerRequest req, Set<String> allowed) {
        JsonNode body = json(req);
        if (!body.isObject()) {
            throw GatewayException.invalidRequest("Request body must be a JSON object");
        }
        for (String field : (Iterable<String>) body::fieldNames) {
            if (!allowed.contains(field)) {
                throw ByokFields.invalid(
                        field.length() <= 64 ? field : field.substring(0, 64),
                        "`" + (field.length() <= 64 ? field : field.substring(0, 64) + "...")
                                + "` is not a field of this request (supported: "
                                + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return new ByokFields(body);
    }

    /**
     * The body as JSON. Malformed JSON is refused with its line and column but without the parser's words,
     * which quote the text where it went wrong: here that may be the provider key itself.
     */
    private JsonNode json(ServerRequest req) {
        try {
            return bodies.readJson(req);
        } catch (GatewayException e) {
            Object line = e.metadata().get("line");
            Object column = e.metadata().get("column");
            if (e.status() != 400 || line == null || column == null) {
                throw e;
            }
            throw new GatewayException(
                    ErrorType.INVALID_REQUEST,
                    "Malformed JSON in request body at line " + line + ", column " + column,
                    Map.of("line", line, "column", column));
        }
    }

    private ApiKey authenticate(ServerRequest req) {
        return keys.authenticateManagement(
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
    }

    private void send(ServerResponse res, int status, ObjectNode body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
