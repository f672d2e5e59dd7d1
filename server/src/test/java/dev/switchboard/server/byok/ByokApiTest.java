package dev.switchboard.server.byok;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.contract.OpenApiContract;
import dev.switchboard.server.testing.GatewayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The BYOK API ({@code /byok}) over raw HTTP against a real gateway and a real SQLite file: OpenRouter's
 * shapes, the provider key written once and shown only as a masked label, strict validation with 400s
 * that never quote the key, 409 for a key stored twice, and management keys only.
 */
class ByokApiTest {
    private static final String SECRET = "sk-proj-ByokApiTest-0123456789-abcdefghijklmnop-WXYZ";
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void createsGetsListsChangesAndDeletesAKeyNeverShowingItsSecret() {
        HttpResponse<String> created = admin(
                "POST",
                "/byok",
                "{\"provider\":\"openai\",\"key\":\"" + SECRET + "\",\"name\":\"Production OpenAI Key\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode data = json(created).path("data");
        String id = data.path("id").asText();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(data.path("provider").asText()).isEqualTo("openai");
        assertThat(data.path("workspace_id").asText()).isEqualTo("default");
        assertThat(data.path("label").asText()).isEqualTo("sk-...WXYZ");
        assertThat(data.path("name").asText()).isEqualTo("Production OpenAI Key");
        assertThat(data.path("disabled").asBoolean(true)).isFalse();
        assertThat(data.path("is_fallback").asBoolean(true)).isFalse();
        assertThat(data.path("always_use").asBoolean(true)).isFalse();
        assertThat(data.path("allowed_models").isNull()).isTrue();
        assertThat(data.path("allowed_api_key_hashes").isNull()).isTrue();
        assertThat(data.path("allowed_user_ids").isNull()).isTrue();
        assertThat(data.path("sort_order").asInt(-1)).isZero();
        assertThat(created.body()).doesNotContain(SECRET);
        matchesSpec("post", "/byok", 201, json(created));

        HttpResponse<String> one = admin("GET", "/byok/" + id, null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).path("data")).isEqualTo(data);
        matchesSpec("get", "/byok/{id}", 200, json(one));

        HttpResponse<String> list = admin("GET", "/byok?provider=openai", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(ids(json(list))).contains(id);
        assertThat(json(list).path("total_count").asInt())
                .isEqualTo(json(list).path("data").size());
        assertThat(list.body()).doesNotContain(SECRET);
        matchesSpec("get", "/byok", 200, json(list));

        String rotated = "sk-proj-rotated-9876543210-abcdefghijklmnop-QRST";
        HttpResponse<String> changed = admin(
                "PATCH",
                "/byok/" + id,
                "{\"name\":null,\"disabled\":true,\"is_fallback\":true,\"sort_order\":4,\"key\":\"" + rotated + "\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        JsonNode after = json(changed).path("data");
        assertThat(after.path("name").isNull()).isTrue();
        assertThat(after.path("disabled").asBoolean()).isTrue();
        assertThat(after.path("is_fallback").asBoolean()).isTrue();
        assertThat(after.path("sort_order").asInt()).isEqualTo(4);
        assertThat(after.path("label").asText()).isEqualTo("sk-...QRST");
        assertThat(after.path("created_at")).isEqualTo(data.path("created_at"));
        assertThat(changed.body()).doesNotContain(rotated);
        matchesSpec("patch", "/byok/{id}", 200, json(changed));

        HttpResponse<String> deleted = admin("DELETE", "/byok/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).path("deleted").asBoolean()).isTrue();
        assertThat(admin("GET", "/byok/" + id, null).statusCode()).isEqualTo(404);
        assertThat(admin("PATCH", "/byok/" + id, "{\"disabled\":false}").statusCode())
                .isEqualTo(404);
        assertThat(admin("DELETE", "/byok/" + id, null).statusCode()).isEqualTo(404);
        assertThat(ids(json(admin("GET", "/byok", null)))).doesNotContain(id);
    }

    @Test
    void listsOneWorkspaceAndProviderAtATimeInPages() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(createdId("{\"provider\":\"groq\",\"key\":\"gsk_paging_" + i + "_0123456789abcdef\"}"));
        }
        String elsewhere = createdId(
                "{\"provider\":\"groq\",\"workspace_id\":\"team-b\",\"key\":\"gsk_paging_elsewhere_0123456789\"}");

        JsonNode first = json(admin("GET", "/byok?provider=groq&limit=2", null));
        JsonNode second = json(admin("GET", "/byok?provider=groq&limit=2&offset=2", null));
        JsonNode teamB = json(admin("GET", "/byok?workspace_id=team-b", null));

        assertThat(first.path("total_count").asInt()).isEqualTo(3);
        assertThat(ids(first)).containsExactly(made.get(0), made.get(1));
        assertThat(ids(second)).containsExactly(made.get(2));
        assertThat(ids(teamB)).containsExactly(elsewhere);
        assertThat(first.path("data").path(0).path("sort_order").asInt()).isZero();
        assertThat(first.path("data").path(1).path("sort_order").asInt())
                .as("a new key goes after its provider's others")
                .isEqualTo(1);
        made.forEach(id -> admin("DELETE", "/byok/" + id, null));
        admin("DELETE", "/byok/" + elsewhere, null);
    }

    @Test
    void refusesAnUnknownProviderNamingTheConfiguredOnes() {
        HttpResponse<String> response = admin("POST", "/byok", "{\"provider\":\"nope\",\"key\":\"" + SECRET + "\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(400);
        assertThat(error.path("message").asText())
                .contains("the configured providers are ")
                .contains("mock")
                .contains("openai");
        assertThat(response.body()).doesNotContain(SECRET);
        assertThat(admin("GET", "/byok?provider=nope", null).statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"key\":\"sk-x-0123456789\"}",
                "{\"provider\":\"openai\"}",
                "{\"provider\":\"openai\",\"key\":\"\"}",
                "{\"provider\":\"openai\",\"key\":123}",
                "{\"provider\":\"openai\",\"key\":\"sk-with space-0123456789\"}",
                "{\"provider\":\"openai\",\"key\":\"sk-line\\nbreak-0123456789\"}",
                "{\"provider\":\"openai\",\"key\":\"sk-\\u00e9t\\u00e9-0123456789\"}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"name\":\"\"}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"name\":7}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"name\":\"bell\\u0007\"}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"disabled\":\"yes\"}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"sort_order\":-1}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"sort_order\":1.5}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"workspace_id\":\"no spaces\"}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"allowed_user_ids\":[\"u1\"]}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"allowed_api_key_hashes\":[]}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"allowed_api_key_hashes\":[\"nothex\"]}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"allowed_models\":\"acme/chat-small\"}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"allowed_models\":[\"a,b\"]}",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\",\"surprise\":true}",
                "[\"not\",\"an\",\"object\"]",
                "{\"provider\":\"openai\",\"key\":\"sk-x-0123456789\""
            })
    void refusesABadBodyWithA400(String body) {
        HttpResponse<String> response = admin("POST", "/byok", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("error").path("code").asInt()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("sk-x-0123456789");
    }

    @Test
    void refusesAHugeKeyOrNameWithoutQuotingThem() {
        String huge = "sk-" + "k".repeat(ByokFields.MAX_SECRET_CHARS);
        String longName = "n".repeat(ByokFields.MAX_NAME_CHARS + 1);

        HttpResponse<String> key = admin("POST", "/byok", "{\"provider\":\"openai\",\"key\":\"" + huge + "\"}");
        HttpResponse<String> name = admin(
                "POST", "/byok", "{\"provider\":\"openai\",\"key\":\"" + SECRET + "2\",\"name\":\"" + longName + "\"}");

        assertThat(key.statusCode()).isEqualTo(400);
        assertThat(json(key).path("error").path("message").asText()).contains("at most 4096 characters");
        assertThat(key.body()).doesNotContain("kkkkkkkkkk");
        assertThat(name.statusCode()).isEqualTo(400);
        assertThat(json(name).path("error").path("message").asText()).contains("at most 255 characters");
    }

    @Test
    void refusesABodyThatIsNotUtf8() {
        byte[] latin1 = "{\"provider\":\"openai\",\"key\":\"sk-\u00e9\u00e9\u00e9-0123456789\"}"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = raw("POST", "/byok", ADMIN_KEY, latin1);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    }

    @Test
    void aMalformedBodyIsRefusedWithoutQuotingTheKeyInIt() {
        String unquoted = "gsk_unquoted_SECRET_0123456789"; // a token the JSON parser would quote whole

        HttpResponse<String> response = admin("POST", "/byok", "{\"provider\":\"openai\",\"key\": " + unquoted + "}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("message").asText()).startsWith("Malformed JSON");
        assertThat(response.body()).doesNotContain("SECRET");
    }

    @Test
    void neitherTheProviderNorTheWorkspaceOfAKeyCanBeChanged() {
        String id = createdId("{\"provider\":\"openai\",\"key\":\"sk-fixed-provider-0123456789\"}");

        assertThat(admin("PATCH", "/byok/" + id, "{\"provider\":\"groq\"}").statusCode())
                .isEqualTo(400);
        assertThat(admin("PATCH", "/byok/" + id, "{\"workspace_id\":\"team-b\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(json(admin("GET", "/byok/" + id, null))
                        .path("data")
                        .path("provider")
                        .asText())
                .isEqualTo("openai");
        admin("DELETE", "/byok/" + id, null);
    }

    @Test
    void boundsTheKeysOfOneProviderInAWorkspace() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < dev.switchboard.core.byok.ByokRegistry.MAX_KEYS_PER_PROVIDER; i++) {
            made.add(createdId("{\"provider\":\"mistral\",\"key\":\"sk-bound-" + i + "-0123456789\"}"));
        }

        HttpResponse<String> oneMore =
                admin("POST", "/byok", "{\"provider\":\"mistral\",\"key\":\"sk-bound-more-0123456789\"}");

        assertThat(oneMore.statusCode()).isEqualTo(409);
        assertThat(json(oneMore).path("error").path("message").asText()).contains("at most");
        made.forEach(id -> admin("DELETE", "/byok/" + id, null));
    }

    @Test
    void theSameKeySentTwiceAtOnceIsStoredOnce() throws Exception {
        String body = "{\"provider\":\"openai\",\"key\":\"sk-proj-raced-0123456789abcdef\"}";
        List<Callable<HttpResponse<String>>> creations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            creations.add(() -> admin("POST", "/byok", body));
        }
        List<Integer> statuses = new ArrayList<>();
        String id = null;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<HttpResponse<String>> done : pool.invokeAll(creations)) {
                statuses.add(done.get().statusCode());
                if (done.get().statusCode() == 201) {
                    id = json(done.get()).path("data").path("id").asText();
                }
            }
        }

        assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        admin("DELETE", "/byok/" + id, null);
    }

    @Test
    void refusesTheSameKeyTwiceForOneProviderAndWorkspace() {
        String secret = "sk-proj-duplicate-0123456789-abcdefghijkl";
        String first = createdId("{\"provider\":\"openai\",\"key\":\"" + secret + "\"}");

        HttpResponse<String> again = admin("POST", "/byok", "{\"provider\":\"openai\",\"key\":\"" + secret + "\"}");
        String otherProvider = createdId("{\"provider\":\"groq\",\"key\":\"" + secret + "\"}");
        String second = createdId("{\"provider\":\"openai\",\"key\":\"" + secret + "-2\"}");
        HttpResponse<String> patched = admin("PATCH", "/byok/" + second, "{\"key\":\"" + secret + "\"}");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("error").path("message").asText())
                .contains(first)
                .doesNotContain(secret);
        assertThat(patched.statusCode()).isEqualTo(409);
        List.of(first, otherProvider, second).forEach(id -> admin("DELETE", "/byok/" + id, null));
    }

    @Test
    void restrictsAKeyToApiKeysOfItsWorkspace() {
        String hash = json(gateway.get("/key", gateway.apiKey()))
                .path("data")
                .path("label")
                .asText();
        String keyHash = sha256(gateway.apiKey());

        HttpResponse<String> unknown = admin(
                "POST",
                "/byok",
                "{\"provider\":\"openai\",\"key\":\"sk-allow-0123456789abcdef\",\"allowed_api_key_hashes\":[\""
                        + "0".repeat(64) + "\"]}");
        HttpResponse<String> otherWorkspace = admin(
                "POST",
                "/byok",
                "{\"provider\":\"openai\",\"workspace_id\":\"team-b\",\"key\":\"sk-allow-0123456789abcdef\","
                        + "\"allowed_api_key_hashes\":[\"" + keyHash + "\"]}");
        HttpResponse<String> fine = admin(
                "POST",
                "/byok",
                "{\"provider\":\"openai\",\"key\":\"sk-allow-0123456789abcdef\",\"allowed_models\":[\"acme/chat-small\"],"
                        + "\"allowed_api_key_hashes\":[\"" + keyHash + "\"]}");

        assertThat(hash).isNotBlank();
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(otherWorkspace.statusCode()).isEqualTo(400);
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(201);
        JsonNode data = json(fine).path("data");
        assertThat(data.path("allowed_api_key_hashes").get(0).asText()).isEqualTo(keyHash);
        assertThat(data.path("allowed_models").get(0).asText()).isEqualTo("acme/chat-small");
        HttpResponse<String> cleared = admin(
                "PATCH",
                "/byok/" + data.path("id").asText(),
                "{\"allowed_models\":null,\"allowed_api_key_hashes\":null}");
        assertThat(json(cleared).path("data").path("allowed_models").isNull()).isTrue();
        assertThat(json(cleared).path("data").path("allowed_api_key_hashes").isNull())
                .isTrue();
        admin("DELETE", "/byok/" + data.path("id").asText(), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "offset=-1", "limit=abc", "workspace_id=a%20b"})
    void refusesBadListParameters(String query) {
        assertThat(admin("GET", "/byok?" + query, null).statusCode()).isEqualTo(400);
    }

    @Test
    void onlyAManagementKeyMayUseIt() {
        String id = createdId("{\"provider\":\"openai\",\"key\":\"sk-management-only-0123456789\"}");
        String[][] routes = {
            {"GET", "/byok", null},
            {"POST", "/byok", "{\"provider\":\"openai\",\"key\":\"sk-management-only-else-0123\"}"},
            {"GET", "/byok/" + id, null},
            {"PATCH", "/byok/" + id, "{\"disabled\":true}"},
            {"DELETE", "/byok/" + id, null}
        };
        for (String[] route : routes) {
            HttpResponse<String> anonymous = gateway.send(route[0], route[1], null, route[2], Map.of());
            HttpResponse<String> inference = gateway.send(route[0], route[1], gateway.apiKey(), route[2], Map.of());
            assertThat(anonymous.statusCode()).as(route[0] + " " + route[1]).isEqualTo(401);
            assertThat(inference.statusCode()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(json(inference).path("error").path("code").asInt()).isEqualTo(403);
        }
        assertThat(json(admin("GET", "/byok/" + id, null))
                        .path("data")
                        .path("disabled")
                        .asBoolean())
                .isFalse();
        admin("DELETE", "/byok/" + id, null);
    }

    @Test
    void concurrentChangesToOneKeyAllApplyAndNoneIsLost() throws Exception {
        String id = createdId("{\"provider\":\"openai\",\"key\":\"sk-concurrent-0123456789abcdef\"}");
        List<Callable<Integer>> changes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String body = i % 2 == 0
                    ? "{\"name\":\"writer " + i + "\"}"
                    : "{\"sort_order\":" + i + ",\"key\":\"sk-concurrent-rotated-" + i + "-0123456789\"}";
            changes.add(() -> admin("PATCH", "/byok/" + id, body).statusCode());
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<Integer> status : pool.invokeAll(changes)) {
                assertThat(status.get()).isEqualTo(200);
            }
        }

        JsonNode after = json(admin("GET", "/byok/" + id, null)).path("data");
        assertThat(after.path("name").asText()).startsWith("writer ");
        assertThat(after.path("sort_order").asInt() % 2).isEqualTo(1);
        assertThat(after.path("label").asText()).endsWith("6789");
        admin("DELETE", "/byok/" + id, null);
    }

    /**
     * The body matches OpenRouter's schema for the response, but for one documented difference: workspace
     * ids here are this gateway's ({@code default}), not UUIDs.
     */
    private static void matchesSpec(String method, String path, int status, JsonNode body) {
        assertThat(OpenApiContract.require().responseViolations(method, path, status, body))
                .allSatisfy(violation -> assertThat(violation)
                        .matches("\\$\\.data(\\[\\d+])?\\.workspace_id: does not match the uuid pattern.*"));
    }

    private static String createdId(String body) {
        HttpResponse<String> created = admin("POST", "/byok", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("data").path("id").asText();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(k -> ids.add(k.path("id").asText()));
        return ids;
    }

    static String sha256(String secret) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return gateway.send(method, path, ADMIN_KEY, body, Map.of());
    }

    private static HttpResponse<String> raw(String method, String path, String key, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return GatewayHarness.json(response);
    }
}
