package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.testkit.FixedUpstream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code routing.retries: 1}, a request whose every attempt failed transiently goes through its plan once more, after the
 * provider's {@code Retry-After} when it sent one; never past the gateway's longest wait or the
 * request's time budget.
 */
class RetryTest {
    /** Retries are off by default; these tests turn one on. */
    private static final Map<String, String> RETRY_ONCE = Map.of("SWITCHBOARD_ROUTING_RETRIES", "1");

    private static final String COMPLETION = """
            {"id":"chatcmpl-r","object":"chat.completion","created":1700000000,"model":"extra-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
    private static final String BODY = "{\"model\":\"" + GatewayHarness.EXTRA_MODEL
            + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void aRateLimitedRequestIsRetriedAfterTheProvidersRetryAfter() {
        try (FixedUpstream limited = FixedUpstream.failingFirst(1, 429, 1, COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(RETRY_ONCE, "", limited.baseUrl())) {
            HttpResponse<String> response = gateway.post("/chat/completions", BODY);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(limited.requests()).isEqualTo(2);
            JsonNode record =
                    record(gateway, GatewayHarness.json(response).path("id").asText());
            assertThat(record.path("provider_responses")).hasSize(2);
            assertThat(record.path("provider_responses").get(0).path("status").asInt())
                    .isEqualTo(429);
            assertThat(record.path("latency").asLong())
                    .as("the second pass waited for the provider's Retry-After of 1 s")
                    .isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void aServerErrorIsRetriedOnceAfterABackoff() {
        try (FixedUpstream failing = FixedUpstream.failingFirst(1, 503, -1, COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(RETRY_ONCE, "", failing.baseUrl())) {
            assertThat(gateway.post("/chat/completions", BODY).statusCode()).isEqualTo(200);
            assertThat(failing.requests()).isEqualTo(2);
        }
    }

    @Test
    void retriesAreBoundedAndTheLastFailureIsAnswered() {
        try (FixedUpstream failing = FixedUpstream.failingFirst(10, 503, -1, COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(RETRY_ONCE, "", failing.baseUrl())) {
            HttpResponse<String> response = gateway.post("/chat/completions", BODY);

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(failing.requests()).as("the first pass and one retry").isEqualTo(2);
        }
    }

    @Test
    void aRetryAfterLongerThanTheGatewayWaitsIsPassedOnInsteadOfWaitedFor() {
        try (FixedUpstream limited = FixedUpstream.failingFirst(1, 429, 60, COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(RETRY_ONCE, "", limited.baseUrl())) {
            HttpResponse<String> response = gateway.post("/chat/completions", BODY);

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(limited.requests()).isEqualTo(1);
        }
    }

    @Test
    void withoutRetriesConfiguredAFailureIsAnsweredAtOnce() {
        try (FixedUpstream failing = FixedUpstream.failingFirst(1, 503, -1, COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", failing.baseUrl())) {
            assertThat(gateway.post("/chat/completions", BODY).statusCode()).isEqualTo(502);
            assertThat(failing.requests()).isEqualTo(1);
        }
    }

    @Test
    void aRequestRefusedByTheProviderIsNotRetried() {
        try (FixedUpstream refusing = FixedUpstream.failingFirst(1, 400, -1, COMPLETION);
                GatewayHarness gateway = GatewayHarness.start(RETRY_ONCE, "", refusing.baseUrl())) {
            assertThat(gateway.post("/chat/completions", BODY).statusCode()).isEqualTo(400);
            assertThat(refusing.requests()).isEqualTo(1);
        }
    }

    @Test
    void noAttemptOrRetryOutlastsTheRequestsTimeBudget() {
        // the simulator hangs before its headers; first_byte gives up on each attempt after 300 ms, and the
        // total budget of 500 ms leaves no room for a retry after the first attempt and its backoff
        try (GatewayHarness gateway = GatewayHarness.start(
                Map.of(
                        "SWITCHBOARD_ROUTING_RETRIES",
                        "1",
                        "SWITCHBOARD_TIMEOUTS_FIRST_BYTE",
                        "300ms",
                        "SWITCHBOARD_TIMEOUTS_TOTAL",
                        "500ms"),
                "")) {
            long started = System.nanoTime();
            HttpResponse<String> response = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"acme/chat-small\",\"simulator\":{\"fault\":\"hang_before_headers\",\"hang_ms\":5000},"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(tookMillis)
                    .as("within the budget, not the simulator's 5 s hang")
                    .isLessThan(3000);
            assertThat(gateway.simulator().stats().requestsReceived()).isLessThanOrEqualTo(2);
        }
    }

    private static JsonNode record(GatewayHarness gateway, String id) {
        HttpResponse<String> response = gateway.get("/generation?id=" + id, gateway.apiKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response).path("data");
    }
}
