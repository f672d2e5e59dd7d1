package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.MovableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request and token rates through the API, the gateway and the simulator, on a clock the test moves: a
 * key's own {@code rate_limit} (set, shown, changed and validated through {@code /keys}), and the rate
 * every workspace gets from {@code limits} in the configuration (here 10 requests a minute). Each test
 * starts a day later than the one before, so every bucket is full.
 */
class RateLimitsTest {
    private static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(Map.of(), "limits: { workspace_requests_per_minute: 10 }\n", CLOCK);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void aDayLater() {
        CLOCK.advance(Duration.ofDays(1));
    }

    @Test
    void aKeysRateLimitIsSetShownChangedAndCleared() {
        HttpResponse<String> created = admin(
                "POST",
                "/keys",
                "{\"name\":\"paced\",\"rate_limit\":{\"requests_per_minute\":60,\"tokens_per_minute\":100000}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = GatewayHarness.json(created).path("data");
        assertThat(key.path("rate_limit").path("requests_per_minute").asLong()).isEqualTo(60);
        assertThat(key.path("rate_limit").path("tokens_per_minute").asLong()).isEqualTo(100_000);
        String hash = key.path("hash").asText();
        String secret = GatewayHarness.json(created).path("key").asText();

        JsonNode current =
                GatewayHarness.json(gateway.get("/key", secret)).path("data").path("rate_limit");
        assertThat(current.path("requests_per_minute").asLong()).isEqualTo(60);
        assertThat(current.path("requests").asInt())
                .as("OpenRouter's legacy field stays")
                .isEqualTo(-1);
        assertThat(current.path("interval").asText()).isEqualTo("10s");

        JsonNode patched = GatewayHarness.json(
                        admin("PATCH", "/keys/" + hash, "{\"rate_limit\":{\"tokens_per_minute\":null}}"))
                .path("data")
                .path("rate_limit");
        assertThat(patched.path("requests_per_minute").asLong())
                .as("left as it was")
                .isEqualTo(60);
        assertThat(patched.path("tokens_per_minute").isNull()).isTrue();
        JsonNode listed = GatewayHarness.json(admin("GET", "/keys/" + hash, null))
                .path("data")
                .path("rate_limit");
        assertThat(listed).isEqualTo(patched);

        JsonNode cleared = GatewayHarness.json(admin("PATCH", "/keys/" + hash, "{\"rate_limit\":null}"))
                .path("data")
                .path("rate_limit");
        assertThat(cleared.path("requests_per_minute").isNull()).isTrue();
        assertThat(cleared.path("tokens_per_minute").isNull()).isTrue();
    }

    @Test
    void aWrongRateLimitIs400NamingTheField() {
        Map<String, String> wrong = Map.of(
                "{\"name\":\"x\",\"rate_limit\":60}", "rate_limit",
                "{\"name\":\"x\",\"rate_limit\":{\"requests_per_minute\":0}}", "rate_limit.requests_per_minute",
                "{\"name\":\"x\",\"rate_limit\":{\"requests_per_minute\":1.5}}", "rate_limit.requests_per_minute",
                "{\"name\":\"x\",\"rate_limit\":{\"requests_per_minute\":\"60\"}}", "rate_limit.requests_per_minute",
                "{\"name\":\"x\",\"rate_limit\":{\"tokens_per_minute\":99999999999999999999}}",
                        "rate_limit.tokens_per_minute",
                "{\"name\":\"x\",\"rate_limit\":{\"tokens_per_minute\":-5}}", "rate_limit.tokens_per_minute",
                "{\"name\":\"x\",\"rate_limit\":{\"requests_per_hour\":5}}", "rate_limit.requests_per_hour");
        wrong.forEach((body, param) -> {
            HttpResponse<String> refused = admin("POST", "/keys", body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(GatewayHarness.json(refused)
                            .path("error")
                            .path("metadata")
                            .path("param")
                            .asText())
                    .as(body)
                    .isEqualTo(param);
        });
        String hash = GatewayHarness.json(admin("POST", "/keys", "{\"name\":\"y\"}"))
                .path("data")
                .path("hash")
                .asText();
        assertThat(admin("PATCH", "/keys/" + hash, "{\"rate_limit\":{\"requests_per_minute\":true}}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void aKeyOverItsRequestRateGets429WithRetryAfterAndItsHeadersAndOthersGoOn() {
        String secret = keyWith("{\"requests_per_minute\":2}");
        assertThat(chat(secret).statusCode()).isEqualTo(200);
        assertThat(chat(secret).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = chat(secret);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("30");
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).contains("2");
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
        assertThat(refused.headers().firstValue("X-RateLimit-Reset"))
                .contains(Long.toString(CLOCK.instant().plusSeconds(30).toEpochMilli()));
        JsonNode error = GatewayHarness.json(refused).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(429);
        assertThat(error.path("message").asText())
                .isEqualTo("Rate limit exceeded: key-requests-per-min. This API key may start 2 requests per minute.");
        assertThat(chat(gateway.apiKey()).statusCode()).as("another key").isEqualTo(200);

        CLOCK.advance(Duration.ofSeconds(30));
        assertThat(chat(secret).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeysTokenRateCountsWhatItsAnswersUsed() {
        HttpResponse<String> measured = chat(gateway.apiKey());
        long perAnswer =
                GatewayHarness.json(measured).path("usage").path("total_tokens").asLong();
        String secret = keyWith("{\"tokens_per_minute\":" + perAnswer + "}");

        assertThat(chat(secret).statusCode())
                .as("its prompt alone is within the rate")
                .isEqualTo(200);
        HttpResponse<String> refused = chat(secret);

        assertThat(refused.statusCode())
                .as("the answer's tokens used the minute up")
                .isEqualTo(429);
        assertThat(GatewayHarness.json(refused).path("error").path("message").asText())
                .isEqualTo("Rate limit exceeded: key-tokens-per-min. This API key may use " + perAnswer
                        + " tokens per minute.");
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(chat(secret).statusCode()).isEqualTo(200);
    }

    @Test
    void theWorkspacesRateIsSharedByItsKeys() {
        String other = keyWith("null");
        for (int i = 0; i < 5; i++) {
            assertThat(chat(gateway.apiKey()).statusCode()).isEqualTo(200);
            assertThat(chat(other).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> refused = chat(other);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("6");
        assertThat(GatewayHarness.json(refused).path("error").path("message").asText())
                .isEqualTo("Rate limit exceeded: workspace-requests-per-min."
                        + " This workspace may start 10 requests per minute.");
    }

    private static String keyWith(String rateLimit) {
        HttpResponse<String> created =
                admin("POST", "/keys", "{\"name\":\"limited\",\"rate_limit\":" + rateLimit + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return GatewayHarness.json(created).path("key").asText();
    }

    private static HttpResponse<String> chat(String key) {
        return gateway.send(
                "POST",
                "/chat/completions",
                key,
                "{\"model\":\"" + GatewayHarness.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return gateway.send(method, path, GatewayHarness.ADMIN_KEY, body, Map.of());
    }
}
