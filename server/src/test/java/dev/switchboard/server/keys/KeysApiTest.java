package dev.switchboard.server.keys;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.testing.GatewayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key provisioning ({@code /keys}, management key only) and {@code GET /key} over raw HTTP against a
 * real gateway and a real SQLite file: the secret is shown once and stored nowhere, keys are addressed
 * by the SHA-256 of their secret, and a key's usage is the exact sum of what it was billed.
 */
class KeysApiTest {
    private static final ObjectMapper EXACT =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String CHAT =
            "{\"model\":\"acme/chat-small\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}";
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
    void createsAKeyAndShowsItsSecretOnlyInThe201() {
        HttpResponse<String> created = admin("POST", "/keys", "{\"name\":\"ci runner\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        String secret = body.path("key").asText();
        assertThat(secret).startsWith("sk-sb-v1-").hasSizeGreaterThan("sk-sb-v1-".length() + 32);
        JsonNode data = body.path("data");
        assertThat(data.path("hash").asText()).isEqualTo(sha256Hex(secret));
        assertThat(data.path("name").asText()).isEqualTo("ci runner");
        assertThat(data.path("disabled").asBoolean(true)).isFalse();
        assertThat(data.path("label").asText())
                .startsWith("sk-sb-v1-")
                .contains("...")
                .doesNotContain(secret);
        assertThat(data.toString()).doesNotContain(secret);

        String hash = data.path("hash").asText();
        HttpResponse<String> one = admin("GET", "/keys/" + hash, null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).path("data").path("hash").asText()).isEqualTo(hash);
        assertThat(one.body()).doesNotContain(secret);
        HttpResponse<String> all = admin("GET", "/keys?include_disabled=true", null);
        assertThat(hashes(json(all))).contains(hash);
        assertThat(all.body()).doesNotContain(secret);
    }

    @Test
    void neverWritesTheSecretToTheDataDirectory() {
        HttpResponse<String> created = admin("POST", "/keys", "{\"name\":\"stored as a hash only\"}");
        String secret = json(created).path("key").asText();
        String hash = json(created).path("data").path("hash").asText();
        // Give the store a request to write, so its files hold more than the key row.
        gateway.send("POST", "/chat/completions", secret, CHAT, Map.of());

        List<Path> files = dataFiles();
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .anyMatch(n -> n.endsWith(".db"))
                .anyMatch(n -> n.endsWith(".db-wal"));
        byte[] secretBytes = secret.getBytes(StandardCharsets.US_ASCII);
        byte[] secretBody = secret.substring("sk-sb-v1-".length()).getBytes(StandardCharsets.US_ASCII);
        boolean hashStored = false;
        for (Path file : files) {
            byte[] content = read(file);
            assertThat(indexOf(content, secretBytes)).as("secret in %s", file).isEqualTo(-1);
            assertThat(indexOf(content, secretBody))
                    .as("secret's random part in %s", file)
                    .isEqualTo(-1);
            hashStored |= indexOf(content, hash.getBytes(StandardCharsets.US_ASCII)) >= 0;
        }
        assertThat(hashStored)
                .as("the key's hash is in some file of %s, so the right files were read", files)
                .isTrue();
    }

    @Test
    void listsDisabledKeysOnlyWhenAskedTo() {
        String enabled = hashOf(gateway.createKey("listed"));
        String disabled = hashOf(gateway.createKey("hidden unless asked"));
        assertThat(admin("PATCH", "/keys/" + disabled, "{\"disabled\":true}").statusCode())
                .isEqualTo(200);

        JsonNode plain = json(admin("GET", "/keys", null));
        JsonNode withDisabled = json(admin("GET", "/keys?include_disabled=true", null));
        JsonNode explicitFalse = json(admin("GET", "/keys?include_disabled=false", null));

        assertThat(hashes(plain)).contains(enabled).doesNotContain(disabled);
        assertThat(hashes(explicitFalse)).contains(enabled).doesNotContain(disabled);
        assertThat(hashes(withDisabled)).contains(enabled, disabled);
        assertThat(plain.path("data"))
                .allSatisfy(k -> assertThat(k.path("disabled").asBoolean()).isFalse());
        JsonNode shown = find(withDisabled, disabled);
        assertThat(shown.path("disabled").asBoolean()).isTrue();
        assertThat(shown.path("name").asText()).isEqualTo("hidden unless asked");
    }

    @Test
    void renamesAKeyWithPatch() {
        String hash = hashOf(gateway.createKey("old name"));

        HttpResponse<String> patched = admin("PATCH", "/keys/" + hash, "{\"name\":\"new name\"}");

        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode data = json(patched).path("data");
        assertThat(data.path("hash").asText()).isEqualTo(hash);
        assertThat(data.path("name").asText()).isEqualTo("new name");
        assertThat(data.path("disabled").asBoolean()).isFalse();
        assertThat(json(admin("GET", "/keys/" + hash, null))
                        .path("data")
                        .path("name")
                        .asText())
                .isEqualTo("new name");
    }

    @Test
    void aDisabledKeyIsRefusedUntilItIsEnabledAgain() {
        String secret = gateway.createKey("toggled");
        String hash = hashOf(secret);
        assertThat(chat(secret).statusCode()).isEqualTo(200);

        HttpResponse<String> disabling = admin("PATCH", "/keys/" + hash, "{\"disabled\":true}");
        assertThat(disabling.statusCode()).isEqualTo(200);
        assertThat(json(disabling).path("data").path("disabled").asBoolean()).isTrue();
        HttpResponse<String> refused = chat(secret);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).path("error").path("code").asInt()).isEqualTo(401);
        assertThat(gateway.get("/key", secret).statusCode()).isEqualTo(401);

        HttpResponse<String> enabling = admin("PATCH", "/keys/" + hash, "{\"disabled\":false}");
        assertThat(json(enabling).path("data").path("disabled").asBoolean()).isFalse();
        assertThat(chat(secret).statusCode()).isEqualTo(200);
    }

    @Test
    void deletesAKeySoThatItIsGoneAndNoLongerAuthenticates() {
        String secret = gateway.createKey("short-lived");
        String hash = hashOf(secret);
        assertThat(gateway.get("/key", secret).statusCode()).isEqualTo(200);

        HttpResponse<String> deleted = admin("DELETE", "/keys/" + hash, null);

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).path("deleted").isBoolean()).isTrue();
        assertThat(json(deleted).path("deleted").asBoolean()).isTrue();
        assertThat(admin("GET", "/keys/" + hash, null).statusCode()).isEqualTo(404);
        assertThat(admin("DELETE", "/keys/" + hash, null).statusCode()).isEqualTo(404);
        assertThat(hashes(json(admin("GET", "/keys?include_disabled=true", null))))
                .doesNotContain(hash);
        HttpResponse<String> refused = chat(secret);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).path("error").path("message").asText()).isNotBlank();
        assertThat(gateway.get("/key", secret).statusCode()).isEqualTo(401);
    }

    @Test
    void refusesKeyAdministrationToAnInferenceKey() {
        String hash = hashOf(gateway.apiKey());

        List<HttpResponse<String>> attempts = List.of(
                gateway.send("GET", "/keys", gateway.apiKey(), null, Map.of()),
                gateway.send("POST", "/keys", gateway.apiKey(), "{\"name\":\"escalation\"}", Map.of()),
                gateway.send("GET", "/keys/" + hash, gateway.apiKey(), null, Map.of()),
                gateway.send("PATCH", "/keys/" + hash, gateway.apiKey(), "{\"disabled\":true}", Map.of()),
                gateway.send("DELETE", "/keys/" + hash, gateway.apiKey(), null, Map.of()));

        assertThat(attempts).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(json(response).path("error").path("code").asInt()).isEqualTo(403);
            assertThat(json(response).path("error").path("message").asText()).isNotBlank();
        });
        assertThat(chat(gateway.apiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesKeyAdministrationWithoutAValidKey() {
        assertThat(gateway.send("GET", "/keys", null, null, Map.of()).statusCode())
                .isEqualTo(401);
        assertThat(gateway.send("POST", "/keys", "sk-sb-v1-not-a-key", "{\"name\":\"x\"}", Map.of())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void answers404ForAnUnknownHash() {
        String unknown = sha256Hex("sk-sb-v1-never-issued");

        for (HttpResponse<String> response : List.of(
                admin("GET", "/keys/" + unknown, null),
                admin("PATCH", "/keys/" + unknown, "{\"name\":\"ghost\"}"),
                admin("DELETE", "/keys/" + unknown, null))) {
            assertThat(response.statusCode()).isEqualTo(404);
            JsonNode error = json(response).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(404);
            assertThat(error.path("message").asText()).isNotBlank();
        }
    }

    @Test
    void rejectsBadCreateAndPatchBodiesWithTheErrorEnvelope() {
        String hash = hashOf(gateway.createKey("patch target"));
        Map<String, HttpResponse<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("missing name", admin("POST", "/keys", "{}"));
        cases.put("name a number", admin("POST", "/keys", "{\"name\":42}"));
        cases.put("name blank", admin("POST", "/keys", "{\"name\":\"  \"}"));
        cases.put("limit negative", admin("POST", "/keys", "{\"name\":\"capped\",\"limit\":-5}"));
        cases.put("not an object", admin("POST", "/keys", "[\"name\"]"));
        cases.put("malformed JSON", admin("POST", "/keys", "{\"name\":"));
        cases.put("patch name a number", admin("PATCH", "/keys/" + hash, "{\"name\":1}"));
        cases.put("patch disabled a string", admin("PATCH", "/keys/" + hash, "{\"disabled\":\"yes\"}"));
        cases.put("patch limit a word", admin("PATCH", "/keys/" + hash, "{\"limit\":\"ten\"}"));

        cases.forEach((what, response) -> {
            assertThat(response.statusCode()).as(what).isEqualTo(400);
            JsonNode error = json(response).path("error");
            assertThat(error.path("code").asInt()).as(what).isEqualTo(400);
            assertThat(error.path("message").asText()).as(what).isNotBlank();
        });
        assertThat(json(cases.get("limit negative"))
                        .path("error")
                        .path("metadata")
                        .path("param")
                        .asText())
                .isEqualTo("limit");
        assertThat(json(cases.get("name a number"))
                        .path("error")
                        .path("metadata")
                        .path("param")
                        .asText())
                .isEqualTo("name");
        JsonNode untouched = json(admin("GET", "/keys/" + hash, null)).path("data");
        assertThat(untouched.path("name").asText()).isEqualTo("patch target");
        assertThat(untouched.path("disabled").asBoolean()).isFalse();
    }

    @Test
    void acceptsUnimplementedWorkspaceFieldsWhenTheyAskForNothing() {
        HttpResponse<String> created = admin(
                "POST",
                "/keys",
                "{\"name\":\"sdk defaults\",\"limit\":null,\"limit_reset\":null,"
                        + "\"include_byok_in_limit\":false,\"expires_at\":null,\"creator_user_id\":null,\"workspace_id\":\"default\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String hash = json(created).path("data").path("hash").asText();
        HttpResponse<String> patched = admin(
                "PATCH", "/keys/" + hash, "{\"name\":\"renamed\",\"limit\":null,\"include_byok_in_limit\":false}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(admin("POST", "/keys", "{\"name\":\"x\",\"workspace_id\":\"team-a\"}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void refusesToDisableOrDeleteTheLastEnabledManagementKey() {
        String adminHash = sha256Hex(ADMIN_KEY);

        HttpResponse<String> disabling = admin("PATCH", "/keys/" + adminHash, "{\"disabled\":true}");
        HttpResponse<String> deleting = admin("DELETE", "/keys/" + adminHash, null);

        assertThat(disabling.statusCode()).isEqualTo(400);
        assertThat(json(disabling).path("error").path("message").asText()).contains("last enabled management key");
        assertThat(deleting.statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/keys/" + adminHash, null).statusCode())
                .as("still works")
                .isEqualTo(200);
    }

    @Test
    void describesTheCallingInferenceKey() {
        String secret = gateway.createKey("described");

        HttpResponse<String> response = gateway.get("/key", secret);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = json(response).path("data");
        assertThat(data.path("is_management_key").isBoolean()).isTrue();
        assertThat(data.path("is_management_key").asBoolean()).isFalse();
        assertThat(data.path("is_provisioning_key").asBoolean()).isFalse();
        String body = secret.substring("sk-sb-v1-".length());
        assertThat(data.path("label").asText())
                .isEqualTo("sk-sb-v1-" + body.substring(0, 3) + "..." + body.substring(body.length() - 3));
        assertThat(response.body()).doesNotContain(secret);
        for (String field : List.of(
                "usage",
                "usage_daily",
                "usage_weekly",
                "usage_monthly",
                "byok_usage",
                "byok_usage_daily",
                "byok_usage_weekly",
                "byok_usage_monthly")) {
            assertThat(data.path(field).isNumber()).as(field).isTrue();
            assertThat(data.path(field).decimalValue()).as(field).isZero();
        }
        assertThat(data.has("limit")).isTrue();
        assertThat(data.path("limit").isNull()).isTrue();
    }

    @Test
    void describesTheManagementKeyAsOne() {
        HttpResponse<String> response = gateway.get("/key", ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = json(response).path("data");
        assertThat(data.path("is_management_key").asBoolean()).isTrue();
        assertThat(data.path("is_provisioning_key").asBoolean()).isTrue();
        assertThat(response.body()).doesNotContain(ADMIN_KEY);
    }

    @Test
    void refusesGetKeyWithoutAValidKey() {
        HttpResponse<String> missing = gateway.get("/key", null);
        HttpResponse<String> wrong = gateway.get("/key", "sk-sb-v1-0000");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).path("error").path("code").asInt()).isEqualTo(401);
    }

    @Test
    void usageGrowsByExactlyTheCostOfEachRequestAsSoonAsItIsAnswered() {
        String secret = gateway.createKey("metered");
        JsonNode previous = json(gateway.get("/key", secret)).path("data");
        BigDecimal billed = BigDecimal.ZERO;

        // Several rounds: the answer is sent before its record is stored, and GET /key must count it anyway.
        for (int round = 0; round < 6; round++) {
            String model = round % 2 == 0 ? "acme/chat-small" : "acme/chat-priced";
            HttpResponse<String> answered = gateway.send(
                    "POST",
                    "/chat/completions",
                    secret,
                    "{\"model\":\"" + model + "\",\"max_tokens\":" + (round + 1)
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Round " + round + "\"}]}",
                    Map.of());
            assertThat(answered.statusCode()).isEqualTo(200);
            BigDecimal cost = json(answered).path("usage").path("cost").decimalValue();
            assertThat(cost).isPositive();
            billed = billed.add(cost);

            JsonNode current = json(gateway.get("/key", secret)).path("data");
            for (String field : List.of("usage", "usage_daily", "usage_weekly", "usage_monthly")) {
                assertThat(current.path(field)
                                .decimalValue()
                                .subtract(previous.path(field).decimalValue()))
                        .as("%s grows by the cost of round %d (%s)", field, round, model)
                        .isEqualByComparingTo(cost);
            }
            previous = current;
        }
        assertThat(previous.path("usage").decimalValue()).isEqualByComparingTo(billed);
        JsonNode listed = json(admin("GET", "/keys/" + hashOf(secret), null)).path("data");
        assertThat(listed.path("usage").decimalValue()).isEqualByComparingTo(billed);
        JsonNode unused =
                json(gateway.get("/key", gateway.createKey("unmetered"))).path("data");
        assertThat(unused.path("usage").decimalValue()).isZero();
    }

    private static HttpResponse<String> chat(String secret) {
        return gateway.send("POST", "/chat/completions", secret, CHAT, Map.of());
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return gateway.send(method, path, ADMIN_KEY, body, Map.of());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return EXACT.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static List<String> hashes(JsonNode list) {
        assertThat(list.path("data").isArray()).as("data is an array: %s", list).isTrue();
        return list.path("data").findValuesAsText("hash");
    }

    private static JsonNode find(JsonNode list, String hash) {
        for (JsonNode key : list.path("data")) {
            if (key.path("hash").asText().equals(hash)) {
                return key;
            }
        }
        throw new AssertionError("no key " + hash + " in " + list);
    }

    private static String hashOf(String secret) {
        return sha256Hex(secret);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> dataFiles() {
        try (Stream<Path> files = Files.walk(gateway.dataDirectory())) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
