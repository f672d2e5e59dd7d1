package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.MovableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenRouter's free-model limits through the gateway and the simulator, on a clock the test moves: 20
 * requests per clock minute, 50 per UTC day until the workspace was granted 10 credits, 1000 after; the
 * 429s with OpenRouter's messages, {@code X-RateLimit-*} headers and {@code Retry-After}; a paid fallback
 * that still answers; {@code free_model_daily_requests} in {@code GET /key}.
 */
class FreeModelLimitsTest {
    private static final String FREE_MODEL = "acme/chat-small:free";
    private static final String FREE_MODELS = """
              - id: acme/chat-small:free
                context_length: 32768
                endpoints:
                  - provider: mock
                    upstream_model: chat-small
                    pricing: { prompt: "0", completion: "0" }
            """;
    private static final Instant HALF_PAST_NOON = Instant.parse("2026-12-07T12:00:30Z");

    private final MovableClock clock = new MovableClock(HALF_PAST_NOON);
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        gateway = GatewayHarness.start(Map.of(), FREE_MODELS, clock);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void twentyFreeRequestsPerClockMinuteThenOpenRoutersPerMinute429() {
        for (int i = 0; i < 20; i++) {
            assertThat(chat(FREE_MODEL).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> refused = chat(FREE_MODEL);

        assertThat(refused.statusCode()).isEqualTo(429);
        String reset = Long.toString(Instant.parse("2026-12-07T12:01:00Z").toEpochMilli());
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).contains("20");
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
        assertThat(refused.headers().firstValue("X-RateLimit-Reset")).contains(reset);
        assertThat(refused.headers().firstValue("Retry-After")).contains("30");
        JsonNode error = GatewayHarness.json(refused).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(429);
        assertThat(error.path("message").asText()).isEqualTo("Rate limit exceeded: free-models-per-min.");
        assertThat(error.path("metadata")
                        .path("headers")
                        .path("X-RateLimit-Reset")
                        .asText())
                .isEqualTo(reset);
        assertThat(gateway.stream(body(FREE_MODEL, ",\"stream\":true"), Map.of())
                        .status())
                .as("a stream is refused before it starts")
                .isEqualTo(429);

        HttpResponse<String> withFallback = chat(FREE_MODEL, ",\"models\":[\"" + GatewayHarness.MODEL + "\"]");
        assertThat(withFallback.statusCode()).as(withFallback.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(withFallback).path("model").asText()).isEqualTo(GatewayHarness.MODEL);

        clock.set(Instant.parse("2026-12-07T12:01:00Z"));
        assertThat(chat(FREE_MODEL).statusCode()).isEqualTo(200);
        assertThat(freeToday()).isEqualTo(Map.of("limit", 50L, "remaining", 29L, "used", 21L));
    }

    @Test
    void fiftyPerUtcDayUntilTenCreditsAreGrantedThenAThousand() {
        useFreeModels(50);
        assertThat(chat("switchboard/free").statusCode())
                .as("the free router is a free model too")
                .isEqualTo(429);

        HttpResponse<String> refused = chat(FREE_MODEL);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(GatewayHarness.json(refused).path("error").path("message").asText())
                .isEqualTo("Rate limit exceeded: free-models-per-day."
                        + " Add 10 credits to unlock 1000 free model requests per day");
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).contains("50");
        assertThat(refused.headers().firstValue("X-RateLimit-Reset"))
                .contains(Long.toString(Instant.parse("2026-12-08T00:00:00Z").toEpochMilli()));
        assertThat(freeToday()).isEqualTo(Map.of("limit", 50L, "remaining", 0L, "used", 50L));
        assertThat(chat(GatewayHarness.MODEL).statusCode())
                .as("paid models are not limited")
                .isEqualTo(200);

        HttpResponse<String> grant =
                gateway.send("POST", "/credits/grants", GatewayHarness.ADMIN_KEY, "{\"amount\":\"9.99\"}", Map.of());
        assertThat(grant.statusCode()).as(grant.body()).isEqualTo(201);
        assertThat(chat(FREE_MODEL).statusCode()).isEqualTo(429);
        gateway.send("POST", "/credits/grants", GatewayHarness.ADMIN_KEY, "{\"amount\":\"0.01\"}", Map.of());

        assertThat(freeToday()).isEqualTo(Map.of("limit", 1000L, "remaining", 950L, "used", 50L));
        assertThat(chat(FREE_MODEL).statusCode()).isEqualTo(200);

        clock.set(Instant.parse("2026-12-08T00:00:00Z"));
        assertThat(freeToday()).as("a new UTC day").isEqualTo(Map.of("limit", 1000L, "remaining", 1000L, "used", 0L));
    }

    /** {@code requests} free-model requests, each 20 in a clock minute of their own. */
    private void useFreeModels(int requests) {
        for (int i = 0; i < requests; i++) {
            if (i % 20 == 0) {
                clock.advance(Duration.ofMinutes(1));
            }
            HttpResponse<String> response = chat(FREE_MODEL);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private Map<String, Long> freeToday() {
        JsonNode free = GatewayHarness.json(gateway.get("/key", gateway.apiKey()))
                .path("data")
                .path("free_model_daily_requests");
        return Map.of(
                "limit", free.path("limit").asLong(),
                "remaining", free.path("remaining").asLong(),
                "used", free.path("used").asLong());
    }

    private HttpResponse<String> chat(String model) {
        return chat(model, "");
    }

    private HttpResponse<String> chat(String model, String more) {
        return gateway.post("/chat/completions", body(model, more));
    }

    private static String body(String model, String more) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + more + "}";
    }
}
