package dev.switchboard.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public catalog over raw HTTP: {@code GET /models} with its filters and paging, a model's
 * endpoints, and {@code GET /providers}, checked against the harness's own {@code acme/*} models and
 * providers (the bundled catalog is listed beside them and is not asserted on here).
 */
class CatalogApiTest {
    private static final List<String> ACME =
            List.of("acme/chat-small", "acme/chat-priced", "acme/locked", "acme/offline");
    private static GatewayHarness gateway;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void listsEveryModelWithATotalAndNoNextLinkWhenNotPaging() {
        HttpResponse<String> response = get("/api/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = GatewayHarness.json(response);
        assertThat(body.path("data").isArray()).isTrue();
        assertThat(ids(body)).containsAll(ACME).doesNotHaveDuplicates();
        assertThat(body.path("total_count").asInt()).isEqualTo(body.path("data").size());
        assertThat(body.path("links").has("next")).isTrue();
        assertThat(body.path("links").path("next").isNull()).isTrue();
    }

    @Test
    void showsPricesAsTheExactStringsConfigured() {
        JsonNode small = model(GatewayHarness.json(get("/api/v1/models")), "acme/chat-small");
        JsonNode priced = model(GatewayHarness.json(get("/api/v1/models")), "acme/chat-priced");

        assertThat(small.path("pricing").path("prompt").isTextual()).isTrue();
        assertThat(small.path("pricing").path("prompt").asText()).isEqualTo("0.0000005");
        assertThat(small.path("pricing").path("completion").asText()).isEqualTo("0.0000015");
        assertThat(priced.path("pricing").path("prompt").asText()).isEqualTo("0.000003");
        assertThat(priced.path("pricing").path("completion").asText()).isEqualTo("0.000015");
        assertThat(priced.path("pricing").path("request").asText()).isEqualTo("0.001");
        assertThat(priced.path("pricing").path("input_cache_read").asText()).isEqualTo("0.0000003");
        priced.path("pricing")
                .forEach(price -> assertThat(price.isTextual())
                        .as("price %s is a string", price)
                        .isTrue());
    }

    @Test
    void describesEachModelInOpenRoutersShape() {
        JsonNode small = model(GatewayHarness.json(get("/api/v1/models")), "acme/chat-small");

        assertThat(small.path("name").asText()).isEqualTo("Acme: Chat Small");
        assertThat(small.path("canonical_slug").asText()).isNotBlank();
        assertThat(small.path("created").isIntegralNumber()).isTrue();
        assertThat(small.path("context_length").asLong()).isEqualTo(32768);
        JsonNode architecture = small.path("architecture");
        assertThat(architecture.path("modality").asText()).isEqualTo("text->text");
        assertThat(strings(architecture.path("input_modalities"))).containsExactly("text");
        assertThat(strings(architecture.path("output_modalities"))).containsExactly("text");
        JsonNode top = small.path("top_provider");
        assertThat(top.path("context_length").asLong()).isEqualTo(32768);
        assertThat(top.path("is_moderated").isBoolean()).isTrue();
        assertThat(top.has("max_completion_tokens")).isTrue();
        assertThat(small.has("per_request_limits")).isTrue();
        assertThat(small.path("links").path("details").asText()).isEqualTo("/api/v1/models/acme/chat-small/endpoints");
    }

    @Test
    void listsDeclaredParametersOrTheStandardSetWhenNoneAreDeclared() {
        JsonNode body = GatewayHarness.json(get("/api/v1/models"));

        assertThat(strings(model(body, "acme/chat-priced").path("supported_parameters")))
                .containsExactly("max_tokens", "temperature", "tools", "tool_choice");
        assertThat(strings(model(body, "acme/chat-small").path("supported_parameters")))
                .containsExactlyElementsOf(ModelRenderer.STANDARD_PARAMETERS);
    }

    @Test
    void filtersBySupportedParameters() {
        // acme/chat-small declares nothing and so is shown, and filtered, with the standard list.
        List<String> tools = acmeIds(get("/api/v1/models?supported_parameters=tools"));
        List<String> seed = acmeIds(get("/api/v1/models?supported_parameters=seed"));
        List<String> both = acmeIds(get("/api/v1/models?supported_parameters=tools,temperature"));
        List<String> none = acmeIds(get("/api/v1/models?supported_parameters=tools,top_k"));

        assertThat(ModelRenderer.STANDARD_PARAMETERS)
                .contains("tools", "seed", "temperature")
                .doesNotContain("top_k");
        assertThat(tools).contains("acme/chat-priced", "acme/chat-small");
        assertThat(seed).contains("acme/chat-small").doesNotContain("acme/chat-priced");
        assertThat(both).contains("acme/chat-priced", "acme/chat-small");
        assertThat(none).isEmpty();
        JsonNode body = GatewayHarness.json(get("/api/v1/models?supported_parameters=seed"));
        assertThat(body.path("total_count").asInt()).isEqualTo(body.path("data").size());
        body.path("data")
                .forEach(
                        m -> assertThat(strings(m.path("supported_parameters"))).contains("seed"));
    }

    @Test
    void searchesIdsAndNamesWithQ() {
        JsonNode body = GatewayHarness.json(get("/api/v1/models?q=priced"));

        assertThat(acmeIds(body)).containsExactly("acme/chat-priced");
        body.path("data")
                .forEach(m -> assertThat((m.path("id").asText()
                                        + m.path("name").asText()
                                        + m.path("description").asText())
                                .toLowerCase(Locale.ROOT))
                        .contains("priced"));
        assertThat(acmeIds(get("/api/v1/models?q=CHAT%20SMALL"))).containsExactly("acme/chat-small");
        assertThat(GatewayHarness.json(get("/api/v1/models?q=no-model-is-called-this"))
                        .path("data"))
                .isEmpty();
        assertThat(GatewayHarness.json(get("/api/v1/models?q=no-model-is-called-this"))
                        .path("total_count")
                        .asInt())
                .isZero();
    }

    @Test
    void filtersByOutputModality() {
        assertThat(acmeIds(get("/api/v1/models?output_modalities=text"))).containsExactlyInAnyOrderElementsOf(ACME);
        assertThat(acmeIds(get("/api/v1/models?output_modalities=image"))).isEmpty();
        assertThat(acmeIds(get("/api/v1/models?output_modalities=image,text")))
                .containsExactlyInAnyOrderElementsOf(ACME);
        assertThat(acmeIds(get("/api/v1/models?output_modalities=all"))).containsExactlyInAnyOrderElementsOf(ACME);
        JsonNode images = GatewayHarness.json(get("/api/v1/models?output_modalities=image"));
        images.path("data")
                .forEach(m -> assertThat(strings(m.path("architecture").path("output_modalities")))
                        .contains("image"));
    }

    @Test
    void pagesWithOffsetAndLimitAndLinksToTheNextPage() {
        JsonNode all = GatewayHarness.json(get("/api/v1/models"));
        int total = all.path("total_count").asInt();
        assertThat(total).isGreaterThan(3);

        JsonNode first = GatewayHarness.json(get("/api/v1/models?offset=0&limit=2"));
        assertThat(first.path("data").size()).isEqualTo(2);
        assertThat(first.path("total_count").asInt()).isEqualTo(total);
        assertThat(first.path("links").path("next").asText()).isEqualTo("/api/v1/models?offset=2&limit=2");
        JsonNode second =
                GatewayHarness.json(get(first.path("links").path("next").asText()));
        assertThat(ids(second)).containsExactlyElementsOf(ids(all).subList(2, 4));

        JsonNode last = GatewayHarness.json(get("/api/v1/models?offset=" + (total - 1) + "&limit=2"));
        assertThat(ids(last)).containsExactly(ids(all).getLast());
        assertThat(last.path("links").path("next").isNull()).isTrue();
        JsonNode limitOnly = GatewayHarness.json(get("/api/v1/models?limit=" + total));
        assertThat(ids(limitOnly)).containsExactlyElementsOf(ids(all));
        assertThat(limitOnly.path("links").path("next").isNull()).isTrue();
        JsonNode beyond = GatewayHarness.json(get("/api/v1/models?offset=" + (total + 5)));
        assertThat(beyond.path("data")).isEmpty();
        assertThat(beyond.path("total_count").asInt()).isEqualTo(total);
    }

    @Test
    void walkingTheNextLinksOfAFilteredListingStaysInThatListing() {
        List<String> expected = acmeIds(get("/api/v1/models?q=acme/"));
        assertThat(expected).containsExactlyInAnyOrderElementsOf(ACME);

        List<String> walked = new ArrayList<>();
        String next = "/api/v1/models?q=acme/&limit=3";
        for (int page = 0; next != null && page < 10; page++) {
            JsonNode body = GatewayHarness.json(get(next));
            assertThat(body.path("total_count").asInt())
                    .as("total_count of %s", next)
                    .isEqualTo(ACME.size());
            walked.addAll(ids(body));
            next = body.path("links").path("next").isNull()
                    ? null
                    : body.path("links").path("next").asText();
        }

        assertThat(walked).containsExactlyElementsOf(expected);
    }

    @Test
    void rejectsBadPagingParameters() {
        for (String query : List.of("limit=0", "limit=1001", "offset=-1", "limit=many")) {
            HttpResponse<String> response = get("/api/v1/models?" + query);

            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(GatewayHarness.json(response).path("error").path("code").asInt())
                    .as(query)
                    .isEqualTo(400);
        }
    }

    @Test
    void answersTheSameListUnderEveryBasePathSpelling() {
        List<String> expected = ids(GatewayHarness.json(get("/api/v1/models")));

        for (String path : List.of("/v1/models", "/api/v1/models/", "/api/v1//models", "/v1//models")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(ids(GatewayHarness.json(response))).as(path).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void needsNoKeyToReadTheCatalog() {
        assertThat(get("/api/v1/models").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/providers").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/models/acme/chat-small/endpoints").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/models", "sk-sb-v1-not-a-real-key").statusCode())
                .isEqualTo(200);
    }

    @Test
    void listsAModelsEndpointsWithTheirProviderAndPrices() {
        HttpResponse<String> response = get("/api/v1/models/acme/chat-small/endpoints");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = GatewayHarness.json(response).path("data");
        assertThat(data.path("id").asText()).isEqualTo("acme/chat-small");
        assertThat(data.path("name").asText()).isEqualTo("Acme: Chat Small");
        assertThat(data.path("architecture").path("modality").asText()).isEqualTo("text->text");
        assertThat(data.path("endpoints").size()).isEqualTo(1);
        JsonNode endpoint = data.path("endpoints").path(0);
        assertThat(endpoint.path("tag").asText()).isEqualTo("mock");
        assertThat(endpoint.path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(endpoint.path("status").isInt()).isTrue();
        assertThat(endpoint.path("status").asInt()).isZero();
        assertThat(endpoint.path("model_id").asText()).isEqualTo("acme/chat-small");
        assertThat(endpoint.path("context_length").asLong()).isEqualTo(32768);
        assertThat(endpoint.path("pricing").path("prompt").asText()).isEqualTo("0.0000005");
        assertThat(endpoint.path("pricing").path("completion").asText()).isEqualTo("0.0000015");
        assertThat(strings(endpoint.path("supported_parameters")))
                .containsExactlyElementsOf(ModelRenderer.STANDARD_PARAMETERS);
        assertThat(endpoint.path("supports_implicit_caching").isBoolean()).isTrue();
    }

    @Test
    void marksTheEndpointOfAnUnavailableProviderAsDegraded() {
        JsonNode endpoint = GatewayHarness.json(get("/api/v1/models/acme/locked/endpoints"))
                .path("data")
                .path("endpoints")
                .path(0);

        assertThat(endpoint.path("tag").asText()).isEqualTo("locked");
        assertThat(endpoint.path("status").asInt()).isNegative();
    }

    @Test
    void answers404ForAnUnknownModelsEndpoints() {
        for (String path :
                List.of("/api/v1/models/acme/no-such-model/endpoints", "/api/v1/models/nobody/nothing/endpoints")) {
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            JsonNode error = GatewayHarness.json(response).path("error");
            assertThat(error.path("code").asInt()).as(path).isEqualTo(404);
            assertThat(error.path("message").asText()).as(path).isNotBlank();
        }
    }

    @Test
    void listsProvidersWithTheirAvailability() {
        HttpResponse<String> response = get("/api/v1/providers");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = GatewayHarness.json(response).path("data");
        JsonNode mock = provider(data, "mock");
        JsonNode locked = provider(data, "locked");
        JsonNode offline = provider(data, "offline");
        assertThat(mock.path("name").asText()).isEqualTo("Mock Cloud");
        assertThat(mock.path("available").asBoolean()).isTrue();
        assertThat(mock.has("unavailable_reason")).isFalse();
        assertThat(locked.path("name").asText()).isEqualTo("Locked Cloud");
        assertThat(locked.path("available").isBoolean()).isTrue();
        assertThat(locked.path("available").asBoolean()).isFalse();
        assertThat(locked.path("unavailable_reason").asText()).contains("SWITCHBOARD_TEST_UNSET_KEY");
        assertThat(offline.path("name").asText()).isEqualTo("Offline Cloud");
        assertThat(response.body()).doesNotContain("sk-upstream-secret-not-for-clients");
        data.forEach(p -> assertThat(p.has("privacy_policy_url"))
                .as("privacy_policy_url of %s", p)
                .isTrue());
    }

    private static HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.gateway().port() + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ids(JsonNode listing) {
        List<String> ids = new ArrayList<>();
        listing.path("data").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private static List<String> acmeIds(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
        return acmeIds(GatewayHarness.json(response));
    }

    private static List<String> acmeIds(JsonNode listing) {
        return ids(listing).stream().filter(id -> id.startsWith("acme/")).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static JsonNode model(JsonNode listing, String id) {
        for (JsonNode model : listing.path("data")) {
            if (model.path("id").asText().equals(id)) {
                return model;
            }
        }
        throw new AssertionError("no model " + id + " in the listing");
    }

    private static JsonNode provider(JsonNode data, String slug) {
        for (JsonNode provider : data) {
            if (provider.path("slug").asText().equals(slug)) {
                return provider;
            }
        }
        throw new AssertionError("no provider " + slug + " in " + data);
    }
}
