package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.testkit.FixedUpstream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Routing through the whole gateway: the {@code models} list, model fallback, availability errors in
 * OpenRouter's envelope, and endpoint health published from live traffic.
 */
class ModelRoutingTest {
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5";

    @Test
    void aModelsListWithoutModelIsServedByTheFirstModelThatCanBe() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            HttpResponse<String> response =
                    gateway.post("/chat/completions", "{\"models\":[\"acme/offline\",\"acme/chat-small\"]," + HI + "}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode completion = GatewayHarness.json(response);
            assertThat(completion.path("model").asText()).isEqualTo("acme/chat-small");
        }
    }

    @Test
    void aModelWhoseProviderRefusesTheRequestFallsBackToTheNextModel() {
        try (FixedUpstream refusing =
                        FixedUpstream.answering(400, "application/json", "{\"error\":{\"message\":\"too long\"}}");
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", refusing.baseUrl())) {
            HttpResponse<String> response = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"" + GatewayHarness.EXTRA_MODEL + "\",\"models\":[\"acme/chat-small\"]," + HI + "}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode completion = GatewayHarness.json(response);
            assertThat(completion.path("model").asText())
                    .as("the model that answered, which billing follows")
                    .isEqualTo("acme/chat-small");
            assertThat(refusing.requests()).isEqualTo(1);
            JsonNode record = GatewayHarness.json(gateway.get(
                            "/generation?id=" + completion.path("id").asText(), gateway.apiKey()))
                    .path("data");
            assertThat(record.path("model").asText()).isEqualTo("acme/chat-small");
            assertThat(record.path("provider_responses")).hasSize(2);
            assertThat(record.path("provider_responses").get(0).path("status").asInt())
                    .isEqualTo(400);
        }
    }

    @Test
    void aRequestNoEndpointCanMeetGetsTheAvailabilityErrorNamingTheFilter() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            HttpResponse<String> response = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"acme/chat-small\",\"provider\":{\"max_price\":{\"prompt\":0.1}}," + HI + "}");

            assertThat(response.statusCode()).isEqualTo(404);
            JsonNode error = GatewayHarness.json(response).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(404);
            assertThat(error.path("error_type").asText()).isEqualTo("not_found");
            assertThat(error.path("availability").path("code").asText()).isEqualTo("constraint_filtered");
            assertThat(error.path("availability").path("excluded_by").get(0).asText())
                    .isEqualTo("max_price");
            assertThat(error.path("message").asText()).contains("mock: max_price, prompt costs $0.5/M");
        }
    }

    @Test
    void theEndpointsListingPublishesUptimeAndLatencyFromLiveTraffic() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "")) {
            HttpResponse<String> before = gateway.get("/models/acme/chat-small/endpoints", gateway.apiKey());
            JsonNode unmeasured =
                    GatewayHarness.json(before).path("data").path("endpoints").get(0);
            assertThat(unmeasured.path("uptime_last_5m").isNull()).isTrue();

            for (int i = 0; i < 3; i++) {
                assertThat(gateway.post("/chat/completions", "{\"model\":\"acme/chat-small\"," + HI + "}")
                                .statusCode())
                        .isEqualTo(200);
            }

            // the listing's figures are recomputed at most once a second
            JsonNode endpoint = awaitMeasured(gateway);
            assertThat(endpoint.path("uptime_last_5m").asDouble()).isEqualTo(100.0);
            assertThat(endpoint.path("uptime_last_1d").asDouble()).isEqualTo(100.0);
            assertThat(endpoint.path("latency_last_30m").path("p50").isNumber()).isTrue();
            assertThat(endpoint.path("throughput_last_30m").path("p50").isNumber())
                    .isTrue();
        }
    }

    private static JsonNode awaitMeasured(GatewayHarness gateway) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            JsonNode endpoint = GatewayHarness.json(gateway.get("/models/acme/chat-small/endpoints", gateway.apiKey()))
                    .path("data")
                    .path("endpoints")
                    .get(0);
            if (!endpoint.path("uptime_last_5m").isNull() || System.nanoTime() > deadline) {
                return endpoint;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return endpoint;
            }
        }
    }
}
