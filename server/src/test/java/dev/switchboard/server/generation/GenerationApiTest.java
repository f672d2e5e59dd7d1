package dev.switchboard.server.generation;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /generation?id=…} after real requests: the record is there as soon as the answer is,
 * agrees with the response's usage and cost to the last digit, carries the attribution headers and
 * the end-user id, holds no prompt or completion text, and is visible only to its own key and to
 * management keys.
 */
class GenerationApiTest {
    private static final ObjectMapper EXACT =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String PROMPT_MARKER = "quokka-7f3e-prompt-marker";
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
    void recordsANonStreamingRequestExactlyAsItWasAnswered() {
        HttpResponse<String> answered = gateway.send(
                "POST",
                "/chat/completions",
                gateway.apiKey(),
                """
                {"model":"acme/chat-small","max_tokens":6,"user":"end-user-42",
                 "messages":[{"role":"user","content":"Tell me about %s please"}]}
                """.formatted(PROMPT_MARKER),
                Map.of("HTTP-Referer", "https://app.example.test/chat", "X-OpenRouter-Title", "Example App"));
        assertThat(answered.statusCode()).isEqualTo(200);
        JsonNode response = json(answered.body());
        String id = response.path("id").asText();

        HttpResponse<String> found = gateway.get("/generation?id=" + id, gateway.apiKey());

        assertThat(found.statusCode())
                .as("found on the first try: %s", found.body())
                .isEqualTo(200);
        JsonNode record = json(found.body()).path("data");
        assertMatchesResponse(record, id, response.path("usage"));
        assertThat(record.path("streamed").asBoolean(true)).isFalse();
        assertThat(record.path("finish_reason").asText())
                .isEqualTo(
                        response.path("choices").path(0).path("finish_reason").asText());
        assertThat(record.path("finish_reason").asText()).isEqualTo("length");
        assertThat(record.path("native_finish_reason").asText())
                .isEqualTo(response.path("choices")
                        .path(0)
                        .path("native_finish_reason")
                        .asText());
        assertThat(record.path("http_referer").asText()).isEqualTo("https://app.example.test/chat");
        assertThat(record.path("app_title").asText()).isEqualTo("Example App");
        assertThat(record.path("external_user").asText()).isEqualTo("end-user-42");
        String completion =
                response.path("choices").path(0).path("message").path("content").asText();
        assertHoldsNoText(found.body(), completion);
    }

    @Test
    void recordsAStreamedRequestWithTheUsageOfItsUsageChunk() {
        StreamedResponse stream = gateway.stream(
                """
                {"model":"acme/chat-priced","stream":true,"max_tokens":5,"user":"streaming-user",
                 "messages":[{"role":"user","content":"Stream about %s"}]}
                """.formatted(PROMPT_MARKER),
                Map.of("HTTP-Referer", "https://legacy.example.test", "X-Title", "Legacy Title App"));
        assertThat(stream.status()).isEqualTo(200);
        String id = stream.header("X-Generation-Id");
        List<JsonNode> chunks = stream.lines().stream()
                .filter(l -> l.startsWith("data: {"))
                .map(l -> json(l.substring(6)))
                .toList();
        JsonNode usage = chunks.getLast().path("usage");
        JsonNode finish = chunks.get(chunks.size() - 2).path("choices").path(0);

        HttpResponse<String> found = gateway.get("/generation?id=" + id, gateway.apiKey());

        assertThat(found.statusCode())
                .as("found on the first try: %s", found.body())
                .isEqualTo(200);
        JsonNode record = json(found.body()).path("data");
        assertMatchesResponse(record, id, usage);
        assertThat(record.path("model").asText()).isEqualTo("acme/chat-priced");
        assertThat(record.path("streamed").asBoolean(false)).isTrue();
        assertThat(record.path("finish_reason").asText())
                .isEqualTo(finish.path("finish_reason").asText());
        assertThat(record.path("native_finish_reason").asText())
                .isEqualTo(finish.path("native_finish_reason").asText());
        assertThat(record.path("http_referer").asText()).isEqualTo("https://legacy.example.test");
        assertThat(record.path("app_title").asText()).isEqualTo("Legacy Title App");
        assertThat(record.path("external_user").asText()).isEqualTo("streaming-user");
        String completion = chunks.stream()
                .map(c ->
                        c.path("choices").path(0).path("delta").path("content").asText(""))
                .reduce("", String::concat);
        assertHoldsNoText(found.body(), completion);
    }

    @Test
    void recordsTheCacheDiscountOfPromptTokensReadFromCacheExactly() {
        HttpResponse<String> answered = gateway.send(
                "POST", "/chat/completions", gateway.apiKey(), """
                {"model":"acme/chat-priced","max_tokens":3,"simulator":{"cached_tokens":60},
                 "messages":[{"role":"user","content":"%s"}]}
                """.formatted("word ".repeat(80)), Map.of());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode response = json(answered.body());

        JsonNode record = json(gateway.get(
                                "/generation?id=" + response.path("id").asText(), gateway.apiKey())
                        .body())
                .path("data");

        assertThat(record.path("native_tokens_cached").asLong()).isEqualTo(60);
        // 60 tokens read at 0.0000003 instead of the prompt's 0.000003
        assertThat(record.path("cache_discount").decimalValue()).isEqualByComparingTo("0.000162");
        assertThat(record.path("total_cost").decimalValue())
                .isEqualByComparingTo(response.path("usage").path("cost").decimalValue());
        assertThat(record.path("upstream_inference_cost").isNull()).isTrue();
        assertThat(record.path("is_byok").asBoolean(true)).isFalse();
    }

    @Test
    void hasNoCacheDiscountWithoutCachedTokensAndNamesTheWorkspaceAndCategories() {
        String id = chat(
                gateway.apiKey(),
                Map.of(
                        "HTTP-Referer",
                        "https://cats.example.test",
                        "X-OpenRouter-Categories",
                        "roleplay,bad cat,game,x"));

        JsonNode record = json(gateway.get("/generation?id=" + id, gateway.apiKey())
                        .body())
                .path("data");

        assertThat(record.has("cache_discount")).isTrue();
        assertThat(record.path("cache_discount").isNull()).isTrue();
        assertThat(record.path("upstream_inference_cost").isNull()).isTrue();
        assertThat(record.path("workspace_id").asText()).isEqualTo("default");
        assertThat(record.path("app_categories").toString()).isEqualTo("[\"roleplay\",\"game\"]");
    }

    @Test
    void prefersTheCurrentTitleHeaderOverTheLegacyOne() {
        String id = chat(gateway.apiKey(), Map.of("X-OpenRouter-Title", "Current", "X-Title", "Legacy"));

        JsonNode record = json(gateway.get("/generation?id=" + id, gateway.apiKey())
                        .body())
                .path("data");

        assertThat(record.path("app_title").asText()).isEqualTo("Current");
    }

    @Test
    void storesAttributionHeadersCutToTheirBounds() {
        String id = chat(
                gateway.apiKey(),
                Map.of(
                        "X-OpenRouter-Title",
                        "T".repeat(8000),
                        "HTTP-Referer",
                        "https://app.example/" + "r".repeat(8000)));

        JsonNode record = json(gateway.get("/generation?id=" + id, gateway.apiKey())
                        .body())
                .path("data");

        assertThat(record.path("app_title").asText()).isEqualTo("T".repeat(256));
        assertThat(record.path("http_referer").asText()).hasSize(1024).startsWith("https://app.example/rr");
    }

    @Test
    void refusesAUserLongerThan256CharactersBeforeRecordingAnything() {
        HttpResponse<String> response = gateway.send(
                "POST",
                "/chat/completions",
                gateway.apiKey(),
                "{\"model\":\"acme/chat-small\",\"user\":\"" + "U".repeat(1 << 20)
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body())
                        .path("error")
                        .path("metadata")
                        .path("param")
                        .asText())
                .isEqualTo("user");
        assertThat(response.headers().firstValue("X-Generation-Id")).isEmpty();
    }

    @Test
    void leavesAttributionNullWhenNoneWasSent() {
        String id = chat(gateway.apiKey(), Map.of());

        JsonNode record = json(gateway.get("/generation?id=" + id, gateway.apiKey())
                        .body())
                .path("data");

        assertThat(record.has("http_referer")).isTrue();
        assertThat(record.path("http_referer").isNull()).isTrue();
        assertThat(record.path("external_user").isNull()).isTrue();
        assertThat(record.path("app_title").isNull()).isTrue();
    }

    @Test
    void recordsAFailedRequestAtNoCost() {
        HttpResponse<String> failed = gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/offline\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(failed.statusCode()).isEqualTo(502);
        String id = failed.headers().firstValue("X-Generation-Id").orElseThrow();

        HttpResponse<String> found = gateway.get("/generation?id=" + id, gateway.apiKey());

        assertThat(found.statusCode()).isEqualTo(200);
        JsonNode record = json(found.body()).path("data");
        assertThat(record.path("model").asText()).isEqualTo("acme/offline");
        assertThat(record.path("provider_name").asText()).isEqualTo("Offline Cloud");
        assertThat(record.path("tokens_prompt").asLong()).isZero();
        assertThat(record.path("tokens_completion").asLong()).isZero();
        assertThat(record.path("total_cost").decimalValue()).isZero();
        assertThat(record.path("streamed").asBoolean(true)).isFalse();
    }

    @Test
    void hidesAGenerationFromOtherKeysButShowsItToTheManagementKey() {
        String id = chat(gateway.apiKey(), Map.of());
        String other = gateway.createKey("someone else");

        HttpResponse<String> foreign = gateway.get("/generation?id=" + id, other);
        HttpResponse<String> admin = gateway.get("/generation?id=" + id, ADMIN_KEY);

        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(json(foreign.body()).path("error").path("code").asInt()).isEqualTo(404);
        assertThat(foreign.body()).doesNotContain("acme/chat-small");
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(json(admin.body()).path("data").path("id").asText()).isEqualTo(id);
    }

    @Test
    void answers400WithoutAnId() {
        for (String path : List.of("/generation", "/generation?id=", "/generation?other=1")) {
            HttpResponse<String> response = gateway.get(path, gateway.apiKey());

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            JsonNode error = json(response.body()).path("error");
            assertThat(error.path("code").asInt()).as(path).isEqualTo(400);
            assertThat(error.path("message").asText()).as(path).contains("id");
        }
    }

    @Test
    void answers404ForAnUnknownId() {
        HttpResponse<String> response = gateway.get("/generation?id=gen-0000000000-doesnotexist", gateway.apiKey());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response.body()).path("error").path("code").asInt()).isEqualTo(404);
        assertThat(json(response.body()).path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void answers401WithoutAValidKey() {
        String id = chat(gateway.apiKey(), Map.of());

        assertThat(gateway.get("/generation?id=" + id, null).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/generation?id=" + id, "sk-sb-v1-wrong").statusCode())
                .isEqualTo(401);
    }

    private static void assertMatchesResponse(JsonNode record, String id, JsonNode usage) {
        assertThat(record.path("id").asText()).isEqualTo(id);
        assertThat(record.path("model").asText()).startsWith("acme/chat-");
        assertThat(record.path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(record.path("tokens_prompt").asLong())
                .isEqualTo(usage.path("prompt_tokens").asLong())
                .isPositive();
        assertThat(record.path("tokens_completion").asLong())
                .isEqualTo(usage.path("completion_tokens").asLong())
                .isPositive();
        assertThat(record.path("native_tokens_prompt").asLong())
                .isEqualTo(usage.path("prompt_tokens").asLong());
        assertThat(record.path("native_tokens_completion").asLong())
                .isEqualTo(usage.path("completion_tokens").asLong());
        assertThat(usage.path("cost").decimalValue()).isPositive();
        assertThat(record.path("total_cost").decimalValue())
                .isEqualTo(usage.path("cost").decimalValue());
        assertThat(record.path("usage").decimalValue())
                .isEqualTo(usage.path("cost").decimalValue());
        assertThat(record.path("latency").isIntegralNumber()).isTrue();
        assertThat(record.path("generation_time").isIntegralNumber()).isTrue();
        assertThat(record.path("generation_time").asLong()).isNotNegative();
        assertThat(record.path("latency").asLong())
                .isGreaterThanOrEqualTo(record.path("generation_time").asLong());
        assertThat(record.path("time_to_first_token").isIntegralNumber())
                .as("time_to_first_token present")
                .isTrue();
        assertThat(record.path("time_to_first_token").asLong())
                .isNotNegative()
                .isLessThanOrEqualTo(record.path("latency").asLong());
        assertThat(record.path("cancelled").isBoolean()).isTrue();
        assertThat(record.path("cancelled").asBoolean()).isFalse();
        assertThat(record.path("is_byok").asBoolean(true)).isFalse();
        assertThat(record.path("created_at").asText()).isNotBlank();
    }

    /** The record is metadata only: neither the prompt nor the completion may be in it. */
    private static void assertHoldsNoText(String recordJson, String completion) {
        assertThat(completion).as("the completion has text to look for").contains(" ");
        assertThat(recordJson).doesNotContain(PROMPT_MARKER).doesNotContain(completion);
    }

    private static String chat(String key, Map<String, String> headers) {
        HttpResponse<String> response = gateway.send(
                "POST",
                "/chat/completions",
                key,
                "{\"model\":\"acme/chat-small\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                headers);
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response.body()).path("id").asText();
    }

    private static JsonNode json(String text) {
        try {
            return EXACT.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
