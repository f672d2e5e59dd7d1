package dev.switchboard.server.presets;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.contract.OpenApiContract;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The preset API over raw HTTP against a real gateway and a real SQLite file: presets made and versioned
 * from chat-completions bodies, listed and read in OpenRouter's shapes (each response checked against
 * its operation in the OpenAPI spec), and the requests it refuses.
 */
class PresetsApiTest {
    private static final String BODY = """
            {"model":"acme/chat-small","temperature":0.7,"stream":true,"user":"u-1",
             "messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Hello!"}]}
            """;
    private static GatewayHarness gateway;
    private final OpenApiContract spec = OpenApiContract.require();

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void createsAPresetFromAChatBodyKeepingOnlyItsConfiguration() {
        HttpResponse<String> created = admin("POST", "/presets/terse/chat/completions", BODY);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode body = GatewayHarness.json(created);
        spec.assertValidResponse("post", "/presets/{slug}/chat/completions", 200, body);
        JsonNode data = body.path("data");
        assertThat(data.path("slug").asText()).isEqualTo("terse");
        assertThat(data.path("name").asText()).isEqualTo("terse");
        assertThat(data.path("status").asText()).isEqualTo("active");
        JsonNode version = data.path("designated_version");
        assertThat(data.path("designated_version_id").asText())
                .isEqualTo(version.path("id").asText());
        assertThat(version.path("preset_id").asText()).isEqualTo(data.path("id").asText());
        assertThat(version.path("version").asInt()).isEqualTo(1);
        assertThat(version.path("system_prompt").asText()).isEqualTo("You are terse.");
        assertThat(version.path("config"))
                .isEqualTo(GatewayHarness.json("{\"model\":\"acme/chat-small\",\"temperature\":0.7}"));
        assertThat(version.path("creator_id").asText())
                .as("the hash of the management key")
                .hasSize(64);
    }

    @Test
    void postingToAnExistingSlugAddsTheDesignatedVersion() {
        JsonNode first = data(admin("POST", "/presets/evolving/chat/completions", "{\"temperature\":0.1}"));
        JsonNode second = data(admin("POST", "/presets/evolving/chat/completions", "{\"temperature\":0.2}"));

        assertThat(second.path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(second.path("designated_version").path("version").asInt()).isEqualTo(2);
        assertThat(second.path("designated_version").path("system_prompt").isNull())
                .isTrue();
        JsonNode fetched = GatewayHarness.json(admin("GET", "/presets/evolving", null));
        spec.assertValidResponse("get", "/presets/{slug}", 200, fetched);
        assertThat(fetched.path("data").path("designated_version_id").asText())
                .isEqualTo(second.path("designated_version").path("id").asText());
        assertThat(fetched.path("data")
                        .path("designated_version")
                        .path("config")
                        .path("temperature")
                        .decimalValue())
                .isEqualByComparingTo("0.2");
    }

    @Test
    void listsVersionsOldestFirstAndReadsOneByNumber() {
        for (int i = 1; i <= 3; i++) {
            admin("POST", "/presets/versioned/chat/completions", "{\"seed\":" + i + "}");
        }

        JsonNode page = GatewayHarness.json(admin("GET", "/presets/versioned/versions?offset=1&limit=1", null));
        spec.assertValidResponse("get", "/presets/{slug}/versions", 200, page);
        assertThat(page.path("total_count").asInt()).isEqualTo(3);
        assertThat(page.path("data")).hasSize(1);
        assertThat(page.path("data").path(0).path("version").asInt()).isEqualTo(2);
        JsonNode all = GatewayHarness.json(admin("GET", "/presets/versioned/versions", null));
        assertThat(all.path("data").findValues("version"))
                .extracting(JsonNode::asInt)
                .containsExactly(1, 2, 3);

        JsonNode one = GatewayHarness.json(admin("GET", "/presets/versioned/versions/2", null));
        spec.assertValidResponse("get", "/presets/{slug}/versions/{version}", 200, one);
        assertThat(one.path("data").path("config").path("seed").asInt()).isEqualTo(2);
        assertThat(admin("GET", "/presets/versioned/versions/4", null).statusCode())
                .isEqualTo(404);
        assertThat(admin("GET", "/presets/versioned/versions/first", null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void listsPresetsMostRecentlyUpdatedFirstWithTheirTotal() {
        admin("POST", "/presets/listed-a/chat/completions", "{}");
        admin("POST", "/presets/listed-b/chat/completions", "{}");
        admin("POST", "/presets/listed-a/chat/completions", "{\"seed\":2}");

        JsonNode list = GatewayHarness.json(admin("GET", "/presets?limit=100", null));
        spec.assertValidResponse("get", "/presets", 200, list);
        assertThat(list.path("total_count").asInt()).isEqualTo(list.path("data").size());
        assertThat(list.path("data").findValuesAsText("slug")).containsSubsequence("listed-a", "listed-b");
        assertThat(list.path("data").path(0).path("slug").asText()).isEqualTo("listed-a");
        assertThat(list.path("data").path(0).has("designated_version")).isFalse();

        JsonNode second = GatewayHarness.json(admin("GET", "/presets?offset=1&limit=1", null));
        assertThat(second.path("data")).hasSize(1);
        assertThat(second.path("data").path(0).path("slug").asText()).isEqualTo("listed-b");
        for (String bad : new String[] {"limit=0", "limit=101", "offset=-1", "limit=ten"}) {
            assertError(admin("GET", "/presets?" + bad, null), 400);
        }
    }

    @Test
    void anUnknownPresetIsNotFoundInTheErrorEnvelope() {
        HttpResponse<String> missing = admin("GET", "/presets/never-made", null);

        assertError(missing, 404);
        spec.assertValidResponse("get", "/presets/{slug}", 404, GatewayHarness.json(missing));
        assertError(admin("GET", "/presets/never-made/versions", null), 404);
        assertError(admin("GET", "/presets/never-made/versions/1", null), 404);
    }

    @Test
    void onlyAManagementKeyMayUseThePresetApi() {
        HttpResponse<String> withApiKey =
                gateway.send("POST", "/presets/mine/chat/completions", gateway.apiKey(), "{}", Map.of());
        HttpResponse<String> withoutKey = gateway.send("GET", "/presets", null, null, Map.of());

        assertError(withApiKey, 403);
        spec.assertValidResponse("post", "/presets/{slug}/chat/completions", 403, GatewayHarness.json(withApiKey));
        assertError(gateway.get("/presets", gateway.apiKey()), 403);
        assertError(withoutKey, 401);
        assertError(gateway.get("/presets", "sk-sb-v1-not-a-key"), 401);
        assertThat(admin("GET", "/presets/mine", null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesASlugThatIsNotLowercaseLettersDigitsAndHyphens() {
        for (String slug : new String[] {"Upper", "under_score", "dot.ted", "a".repeat(65)}) {
            HttpResponse<String> response = admin("POST", "/presets/" + slug + "/chat/completions", "{}");
            assertError(response, 400);
            assertThat(GatewayHarness.json(response)
                            .path("error")
                            .path("metadata")
                            .path("param")
                            .asText())
                    .isEqualTo("slug");
        }
        assertThat(admin("POST", "/presets/" + "a".repeat(64) + "/chat/completions", "{}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void refusesAConfigurationOverItsBound() {
        String big = "x".repeat(70 * 1024);

        HttpResponse<String> response =
                admin("POST", "/presets/huge/chat/completions", "{\"metadata\":{\"note\":\"" + big + "\"}}");

        assertError(response, 413);
        assertThat(admin("GET", "/presets/huge", null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAConfigurationNoRequestCouldUse() {
        assertError(admin("POST", "/presets/bad/chat/completions", "{\"temperature\":\"hot\"}"), 400);
        assertError(admin("POST", "/presets/bad/chat/completions", "{\"model\":\"@preset/other\"}"), 400);
        assertError(admin("POST", "/presets/bad/chat/completions", "[]"), 400);
        assertThat(admin("GET", "/presets/bad", null).statusCode()).isEqualTo(404);
    }

    private static JsonNode data(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response).path("data");
    }

    private static void assertError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = GatewayHarness.json(response).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(status);
        assertThat(error.path("message").asText()).isNotBlank();
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return gateway.send(method, path, ADMIN_KEY, body, Map.of());
    }
}
