package dev.switchboard.server.contract;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every response shape the gateway produces, taken from a real gateway and validated against
 * OpenRouter's OpenAPI spec ({@link OpenApiContract}), plus the fields the official SDKs require
 * beyond the spec (reference, Appendix B).
 */
class ResponseContractTest {
    /** Small, so that the 413 needs only a small body. */
    private static final int MAX_BODY_BYTES = 4096;

    private static final String CHAT =
            "{\"model\":\"acme/chat-small\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static GatewayHarness gateway;
    /** Each test fails, rather than skips, when the spec is missing. */
    private final OpenApiContract spec = OpenApiContract.require();

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(Map.of(), "server: { max_body_bytes: " + MAX_BODY_BYTES + " }\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void chatResultMatchesTheSpecAndHasASystemFingerprintKey() {
        HttpResponse<String> response = gateway.post("/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = GatewayHarness.json(response);
        spec.assertValid("ChatResult", body);
        spec.assertValidResponse("post", "/chat/completions", 200, body);
        assertThat(body.has("system_fingerprint"))
                .as("Appendix B: system_fingerprint present, null allowed")
                .isTrue();
        assertThat(body.has("usage")).isTrue();
    }

    @Test
    void chatResultWithToolCallsMatchesTheSpec() {
        HttpResponse<String> response = gateway.post("/chat/completions", """
                {"model":"acme/chat-small","messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "tool_choice":"required"}
                """);

        JsonNode body = GatewayHarness.json(response);
        assertThat(body.path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        spec.assertValid("ChatResult", body);
    }

    @Test
    void everyChunkOfAStreamIncludingTheUsageChunkMatchesTheSpec() {
        StreamedResponse stream = gateway.stream("""
                {"model":"acme/chat-small","stream":true,"max_tokens":4,"messages":[{"role":"user","content":"hi"}],
                 "simulator":{"ttft_ms":450}}
                """, Map.of());

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.comments()).as("keep-alives were sent too").isNotEmpty();
        List<JsonNode> chunks = stream.chunks();
        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks.getLast().has("usage")).isTrue();
        chunks.forEach(chunk -> spec.assertValid("ChatStreamChunk", chunk));
    }

    @Test
    void streamedToolCallChunksMatchTheSpec() {
        StreamedResponse stream = gateway.stream("""
                {"model":"acme/chat-small","stream":true,"messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}}}}}],
                 "tool_choice":"required"}
                """, Map.of());

        List<JsonNode> chunks = stream.chunks();
        assertThat(chunks)
                .anySatisfy(
                        c -> assertThat(c.path("choices").path(0).path("delta").has("tool_calls"))
                                .isTrue());
        chunks.forEach(chunk -> spec.assertValid("ChatStreamChunk", chunk));
    }

    @Test
    void inBandErrorChunkMatchesTheSpec() {
        StreamedResponse stream = gateway.stream("""
                {"model":"acme/chat-small","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "simulator":{"fault":"reset_mid_stream"}}
                """, Map.of());

        assertThat(stream.status()).isEqualTo(200);
        List<JsonNode> chunks = stream.chunks();
        JsonNode error = chunks.getLast();
        assertThat(error.has("error")).isTrue();
        assertThat(error.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
        chunks.forEach(chunk -> spec.assertValid("ChatStreamChunk", chunk));
    }

    @Test
    void modelsListMatchesTheSpecWithTotalCountAndLinks() {
        for (String path : List.of("/models", "/models?offset=0&limit=2")) {
            JsonNode body = GatewayHarness.json(gateway.get(path, null));

            spec.assertValid("ModelsListResponse", body);
            spec.assertValidResponse("get", "/models", 200, body);
            assertThat(body.has("total_count"))
                    .as("Appendix B: total_count on %s", path)
                    .isTrue();
            assertThat(body.path("links").has("next"))
                    .as("Appendix B: links.next on %s", path)
                    .isTrue();
        }
    }

    @Test
    void endpointsOfAnOpenAiModelMatchTheSpec() {
        String model = firstModelServedOnlyBy("OpenAI");
        HttpResponse<String> response = gateway.get("/models/" + model + "/endpoints", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = GatewayHarness.json(response);
        spec.assertValid("ListEndpointsResponse", body.path("data"));
        spec.assertValidResponse("get", "/models/{author}/{slug}/endpoints", 200, body);
    }

    @Test
    void endpointsOfTheTestModelsBreakOnlyTheClosedProviderNameEnum() {
        // "Mock Cloud" and friends are test fixtures and not OpenRouter provider names; everything else must hold.
        for (String model : List.of("acme/chat-small", "acme/chat-priced", "acme/locked", "acme/offline")) {
            JsonNode data = GatewayHarness.json(gateway.get("/models/" + model + "/endpoints", null))
                    .path("data");

            assertThat(spec.violations("ListEndpointsResponse", data))
                    .as(model)
                    .allSatisfy(v -> assertThat(v)
                            .startsWith("$.endpoints[0].provider_name: does not have a value in the enumeration"));
        }
    }

    /**
     * One deliberate exception: the bundled provider {@code openrouter} (OpenRouter used as an upstream)
     * has the display name "OpenRouter", which OpenRouter's own provider enumeration cannot contain.
     * Clients are unaffected: the official SDKs treat that enumeration as open.
     */
    @Test
    void endpointsOfEveryBundledModelMatchTheSpec() {
        Map<String, List<String>> failures = new LinkedHashMap<>();
        for (String model : modelIds()) {
            if (model.startsWith("acme/")) {
                continue;
            }
            JsonNode data = GatewayHarness.json(gateway.get("/models/" + model + "/endpoints", null))
                    .path("data");
            List<String> violations = new ArrayList<>();
            for (String violation : spec.violations("ListEndpointsResponse", data)) {
                // The enumeration is a hundred names long: show the offending value instead.
                String path = violation.substring(0, violation.indexOf(':'));
                violations.add(violation.replaceFirst(
                        ": does not have a value in the enumeration \\[.*\\]",
                        ": '"
                                + data.at(path.substring(1).replace(".", "/").replaceAll("\\[(\\d+)]", "/$1"))
                                        .asText() + "' is not in the enumeration"));
            }
            violations.removeIf(v -> v.contains(".provider_name: 'OpenRouter' is not in the enumeration"));
            if (!violations.isEmpty()) {
                failures.put(model, violations);
            }
        }

        assertThat(failures).isEmpty();
    }

    @Test
    void providersListMatchesTheSpec() {
        JsonNode body = GatewayHarness.json(gateway.get("/providers", null));

        spec.assertValidResponse("get", "/providers", 200, body);
    }

    @Test
    void currentKeyMatchesTheSpecAndHasTheFieldsTheSdkRequires() {
        for (String key : List.of(gateway.apiKey(), ADMIN_KEY)) {
            JsonNode body = GatewayHarness.json(gateway.get("/key", key));

            spec.assertValidResponse("get", "/key", 200, body);
            JsonNode data = body.path("data");
            assertThat(data.path("allowed_data_regions").isArray())
                    .as("Appendix B: allowed_data_regions")
                    .isTrue();
            JsonNode free = data.path("free_model_daily_requests");
            assertThat(List.of(free.path("limit"), free.path("remaining"), free.path("used")))
                    .as("Appendix B: free_model_daily_requests {limit, remaining, used}")
                    .allSatisfy(n -> assertThat(n.isNumber()).isTrue());
            assertThat(data.has("organization_id"))
                    .as("Appendix B: organization_id")
                    .isTrue();
            assertThat(data.path("organization_id").isNull()
                            || data.path("organization_id").isTextual())
                    .isTrue();
            assertThat(data.has("workspace_id")).as("Appendix B: workspace_id").isTrue();
            assertThat(data.path("workspace_id").isNull()
                            || data.path("workspace_id").isTextual())
                    .isTrue();
            for (String field : List.of(
                    "byok_usage",
                    "byok_usage_daily",
                    "byok_usage_weekly",
                    "byok_usage_monthly",
                    "rate_limit",
                    "is_provisioning_key",
                    "is_management_key",
                    "is_free_tier",
                    "limit_remaining",
                    "limit_reset")) {
                assertThat(data.has(field))
                        .as("Appendix B / section 4.2: %s", field)
                        .isTrue();
            }
        }
    }

    @Test
    void keyProvisioningResponsesMatchTheSpec() {
        HttpResponse<String> created = gateway.send("POST", "/keys", ADMIN_KEY, "{\"name\":\"contract\"}", Map.of());
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode createdBody = GatewayHarness.json(created);
        spec.assertValidResponse("post", "/keys", 201, createdBody);
        String hash = createdBody.path("data").path("hash").asText();

        spec.assertValidResponse("get", "/keys", 200, okJson("GET", "/keys", null));
        spec.assertValidResponse("get", "/keys", 200, okJson("GET", "/keys?include_disabled=true&offset=0", null));
        spec.assertValidResponse("get", "/keys/{hash}", 200, okJson("GET", "/keys/" + hash, null));
        spec.assertValidResponse(
                "patch",
                "/keys/{hash}",
                200,
                okJson("PATCH", "/keys/" + hash, "{\"name\":\"renamed\",\"disabled\":true}"));
        spec.assertValidResponse("delete", "/keys/{hash}", 200, okJson("DELETE", "/keys/" + hash, null));
    }

    @Test
    void generationMatchesTheSpecForBothKindsOfRequest() {
        String buffered = GatewayHarness.json(gateway.send(
                        "POST",
                        "/chat/completions",
                        gateway.apiKey(),
                        CHAT.replace("}]}", "}],\"user\":\"u-1\"}"),
                        Map.of("HTTP-Referer", "https://contract.example.test")))
                .path("id")
                .asText();
        String streamed = gateway.stream(
                        "{\"model\":\"acme/chat-priced\",\"stream\":true,\"max_tokens\":3,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        Map.of())
                .header("X-Generation-Id");
        String failed = gateway.post("/chat/completions", CHAT.replace("acme/chat-small", "acme/offline"))
                .headers()
                .firstValue("X-Generation-Id")
                .orElseThrow();

        for (String id : List.of(buffered, streamed, failed)) {
            HttpResponse<String> response = gateway.get("/generation?id=" + id, gateway.apiKey());
            assertThat(response.statusCode()).as(id).isEqualTo(200);
            JsonNode body = GatewayHarness.json(response);
            spec.assertValid("GenerationResponse", body);
            spec.assertValidResponse("get", "/generation", 200, body);
        }
    }

    @Test
    void errorResponsesMatchTheirSchemas() {
        String hash = GatewayHarness.json(gateway.get("/keys", ADMIN_KEY))
                .path("data")
                .path(0)
                .path("hash")
                .asText();
        assertError(
                "BadRequestResponse",
                "post",
                "/chat/completions",
                gateway.post("/chat/completions", CHAT.replace("acme/chat-small", "acme/no-such-model")),
                400);
        assertError(
                "BadRequestResponse",
                "post",
                "/chat/completions",
                gateway.post("/chat/completions", "{\"model\":"),
                400);
        assertError(
                "BadRequestResponse",
                "post",
                "/keys",
                gateway.send("POST", "/keys", ADMIN_KEY, "{\"limit\":1}", Map.of()),
                400);
        assertError(
                "BadRequestResponse",
                "patch",
                "/keys/{hash}",
                gateway.send("PATCH", "/keys/" + hash, ADMIN_KEY, "{\"name\":7}", Map.of()),
                400);
        assertError("BadRequestResponse", "get", "/models", gateway.get("/models?limit=0", null), 400);
        assertError("BadRequestResponse", null, null, gateway.get("/generation", gateway.apiKey()), 400);
        assertError(
                "UnauthorizedResponse",
                "post",
                "/chat/completions",
                gateway.send("POST", "/chat/completions", "sk-sb-v1-wrong", CHAT, Map.of()),
                401);
        assertError("UnauthorizedResponse", "get", "/key", gateway.get("/key", null), 401);
        assertError(
                "UnauthorizedResponse",
                "get",
                "/generation",
                gateway.get("/generation?id=gen-1", "sk-sb-v1-wrong"),
                401);
        assertError("UnauthorizedResponse", "get", "/keys", gateway.get("/keys", null), 401);
        assertError(
                "ForbiddenResponse",
                "post",
                "/chat/completions",
                gateway.send("POST", "/chat/completions", ADMIN_KEY, CHAT, Map.of()),
                403);
        assertError(
                "ForbiddenResponse",
                "post",
                "/keys",
                gateway.send("POST", "/keys", gateway.apiKey(), "{\"name\":\"x\"}", Map.of()),
                403);
        assertError(
                "NotFoundResponse",
                "post",
                "/chat/completions",
                gateway.post("/chat/completions", CHAT.replace("}]}", "}],\"provider\":{\"only\":[\"nobody\"]}}")),
                404);
        assertError(
                "NotFoundResponse",
                "get",
                "/generation",
                gateway.get("/generation?id=gen-unknown", gateway.apiKey()),
                404);
        assertError("NotFoundResponse", "get", "/keys/{hash}", gateway.get("/keys/" + "0".repeat(64), ADMIN_KEY), 404);
        assertError(
                "NotFoundResponse",
                "delete",
                "/keys/{hash}",
                gateway.send("DELETE", "/keys/" + "0".repeat(64), ADMIN_KEY, null, Map.of()),
                404);
        assertError(
                "NotFoundResponse",
                "get",
                "/models/{author}/{slug}/endpoints",
                gateway.get("/models/acme/none/endpoints", null),
                404);
        assertError("NotFoundResponse", null, null, gateway.get("/no/such/route", null), 404);
        assertError(
                "PayloadTooLargeResponse",
                "post",
                "/chat/completions",
                gateway.post("/chat/completions", CHAT.replace("\"hi\"", "\"" + "x".repeat(MAX_BODY_BYTES) + "\"")),
                413);
        assertError(
                "TooManyRequestsResponse",
                "post",
                "/chat/completions",
                gateway.post(
                        "/chat/completions",
                        CHAT.replace("}]}", "}],\"simulator\":{\"fault\":\"status\",\"status\":429}}")),
                429);
        assertError(
                "BadGatewayResponse",
                "post",
                "/chat/completions",
                gateway.post("/chat/completions", CHAT.replace("acme/chat-small", "acme/offline")),
                502);
        assertError(
                "BadGatewayResponse",
                "post",
                "/chat/completions",
                gateway.post(
                        "/chat/completions",
                        CHAT.replace("}]}", "}],\"simulator\":{\"fault\":\"status\",\"status\":500}}")),
                502);
        assertError(
                "ServiceUnavailableResponse",
                "post",
                "/chat/completions",
                gateway.post("/chat/completions", CHAT.replace("acme/chat-small", "acme/locked")),
                503);
    }

    /** Checks the named error schema and, where the spec documents the status for the operation, the operation too. */
    private void assertError(String schema, String method, String path, HttpResponse<String> response, int status) {
        assertThat(response.statusCode())
                .as("%s %s: %s", method, path, response.body())
                .isEqualTo(status);
        JsonNode body = GatewayHarness.json(response);
        assertThat(body.path("error").path("code").asInt()).isEqualTo(status);
        spec.assertValid(schema, body);
        if (method != null) {
            spec.assertValidResponse(method, path, status, body);
        }
    }

    private static JsonNode okJson(String method, String path, String body) {
        HttpResponse<String> response = gateway.send(method, path, ADMIN_KEY, body, Map.of());
        assertThat(response.statusCode())
                .as("%s %s: %s", method, path, response.body())
                .isEqualTo(200);
        return GatewayHarness.json(response);
    }

    private static List<String> modelIds() {
        List<String> ids = new ArrayList<>();
        GatewayHarness.json(gateway.get("/models?output_modalities=all", null))
                .path("data")
                .forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    /** A bundled-catalog model whose every endpoint is served by the provider of that display name. */
    private static String firstModelServedOnlyBy(String providerName) {
        for (String id : modelIds()) {
            JsonNode endpoints = GatewayHarness.json(gateway.get("/models/" + id + "/endpoints", null))
                    .path("data")
                    .path("endpoints");
            boolean only = !endpoints.isEmpty();
            for (JsonNode endpoint : endpoints) {
                only &= endpoint.path("provider_name").asText().equals(providerName);
            }
            if (only) {
                return id;
            }
        }
        throw new AssertionError("the bundled catalog has no model served only by " + providerName);
    }
}
