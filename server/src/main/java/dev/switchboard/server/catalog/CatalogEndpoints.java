package dev.switchboard.server.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.Json;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /models} (filters {@code supported_parameters}, {@code output_modalities},
 * {@code input_modalities}, {@code q}; paging with {@code offset} and {@code limit}),
 * {@code GET /models/{author}/{slug}/endpoints} and {@code GET /providers}. Public, as at OpenRouter.
 */
public final class CatalogEndpoints {
    private static final int DEFAULT_PAGE = 500;
    private static final int MAX_PAGE = 1000;
    private final Supplier<Catalog> catalog;
    private final ObjectMapper json;
    private final ModelRenderer renderer;

    /** @param health what live traffic says of each endpoint, published in the endpoints listing */
    public CatalogEndpoints(Supplier<Catalog> catalog, ObjectMapper json, EndpointHealth health) {
        this.catalog = catalog;
        this.json = json;
        this.renderer = new ModelRenderer(health);
    }

    /** Registers the catalog's routes. */
    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/models", this::models)
                .add(Method.GET, "/models/{author}/{slug}/endpoints", this::endpoints)
                .add(Method.GET, "/providers", this::providers);
    }

    public void models(ServerRequest req, ServerResponse res) {
        Catalog snapshot = catalog.get();
        UriQuery query = req.query();
        List<Model> matching =
                snapshot.models().stream().filter(m -> matches(m, query)).toList();
        boolean paged = query.contains("offset") || query.contains("limit");
        int offset = paged ? intParam(query, "offset", 0, 0, Integer.MAX_VALUE) : 0;
        int limit = paged ? intParam(query, "limit", DEFAULT_PAGE, 1, MAX_PAGE) : Integer.MAX_VALUE;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        matching.stream().skip(offset).limit(limit).forEach(m -> data.add(renderer.model(m, snapshot)));
        body.put("total_count", matching.size());
        ObjectNode links = body.putObject("links");
        long next = (long) offset + limit;
        if (paged && next < matching.size()) {
            links.put("next", nextPage(query, next, limit));
        } else {
            links.putNull("next");
        }
        send(res, body);
    }

    public void endpoints(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("author") + "/"
                + req.path().pathParameters().get("slug");
        Catalog snapshot = catalog.get();
        Model model = snapshot.model(id).orElseThrow(() -> GatewayException.notFound("No model with id " + id));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("data", renderer.endpoints(model, snapshot));
        send(res, body);
    }

    public void providers(ServerRequest req, ServerResponse res) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        for (Provider provider : catalog.get().providers()) {
            ObjectNode p = data.addObject();
            p.put("name", provider.name());
            p.put("slug", provider.slug());
            p.put("privacy_policy_url", provider.links().privacyPolicyUrl());
            p.put("terms_of_service_url", provider.links().termsOfServiceUrl());
            p.put("status_page_url", provider.links().statusPageUrl());
            p.put("headquarters", provider.links().headquarters());
            ArrayNode datacenters = p.putArray("datacenters");
            provider.links().datacenters().forEach(datacenters::add);
            p.put("kind", provider.kind());
            p.put("available", provider.available());
            provider.unavailableReason().ifPresent(r -> p.put("unavailable_reason", r));
        }
        send(res, body);
    }

    /** The same listing's next page: the request's filters, as sent, with the new offset and limit. */
    private static String nextPage(UriQuery query, long offset, int limit) {
        StringBuilder link = new StringBuilder("/api/v1/models?");
        for (String parameter : query.rawValue().split("&", -1)) {
            String name = parameter.split("=", 2)[0];
            if (!parameter.isEmpty() && !name.equals("offset") && !name.equals("limit")) {
                link.append(parameter).append('&');
            }
        }
        return link.append("offset=")
                .append(offset)
                .append("&limit=")
                .append(limit)
                .toString();
    }

    private static boolean matches(Model model, UriQuery query) {
        return supportsAll(model, param(query, "supported_parameters"))
                && modalities(model.outputModalities(), param(query, "output_modalities"), "text")
                && modalities(model.inputModalities(), param(query, "input_modalities"), null)
                && search(model, param(query, "q"));
    }

    private static boolean supportsAll(Model model, Optional<String> wanted) {
        List<String> supported = ModelRenderer.parameters(model.supportedParameters());
        return wanted.map(w -> split(w).allMatch(supported::contains)).orElse(true);
    }

    /** A model matches when it has any of the listed modalities; {@code all} matches every model. */
    private static boolean modalities(
            List<String> modelModalities, Optional<String> wanted, @Nullable String fallback) {
        String value = wanted.orElse(fallback);
        if (value == null || value.equalsIgnoreCase("all")) {
            return true;
        }
        return split(value).anyMatch(modelModalities::contains);
    }

    private static boolean search(Model model, Optional<String> q) {
        if (q.isEmpty() || q.get().isBlank()) {
            return true;
        }
        String needle = q.get().toLowerCase(Locale.ROOT);
        return model.id().toLowerCase(Locale.ROOT).contains(needle)
                || model.name().toLowerCase(Locale.ROOT).contains(needle)
                || model.description().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static java.util.stream.Stream<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static int intParam(UriQuery query, String name, int fallback, int min, int max) {
        Optional<String> value = param(query, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get().strip());
            if (parsed < min || parsed > max) {
                throw GatewayException.invalidRequest("`" + name + "` must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw GatewayException.invalidRequest("`" + name + "` must be an integer");
        }
    }

    /** A query parameter; an empty one ({@code ?output_modalities=}) counts as not given. */
    private static Optional<String> param(UriQuery query, String name) {
        return query.first(name).filter(value -> !value.isBlank());
    }

    private void send(ServerResponse res, ObjectNode body) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }
}
