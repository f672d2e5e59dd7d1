package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StallingUpstream;
import dev.switchboard.server.testing.StreamedResponse;
import dev.switchboard.testkit.FixedUpstream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hedging: when the attempt running has sent no first byte within {@code after_ms}, the plan's next
 * attempt starts beside it and the first to answer is kept. {@code acme/fallback}'s first endpoint
 * ({@code extra}) is an upstream that never answers, its second the simulator. The harness's first-byte
 * timeout is 1.5 s, so an answer whose record shows the first attempt left as {@code hedge_lost} (not
 * {@code first_byte_timeout}) was won by the hedge.
 */
class HedgingTest {
    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void aStalledAttemptIsOvertakenByTheHedgeThenCancelledAndNotBilled(boolean stream) throws Exception {
        try (StallingUpstream stalling = StallingUpstream.start();
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", stalling.baseUrl())) {
            String hedge = ",\"provider\":{\"order\":[\"extra\",\"mock\"],\"hedge\":{\"after_ms\":150}}";

            Answer answer = ask(gateway, stream, hedge);

            assertThat(answer.provider()).isEqualTo("Mock Cloud");
            assertThat(stalling.connections()).isEqualTo(1);
            assertThat(stalling.awaitAllClosed(Duration.ofSeconds(5)))
                    .as("the lost attempt's connection is closed, not left to hang")
                    .isTrue();
            JsonNode record = record(gateway, answer.id());
            JsonNode attempts = record.path("provider_responses");
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0).path("endpoint_id").asText())
                    .isEqualTo("extra:" + GatewayHarness.FALLBACK_MODEL);
            assertThat(attempts.get(0).path("status").asInt()).isEqualTo(499);
            assertThat(attempts.get(0).path("left_because").asText()).isEqualTo("hedge_lost");
            assertThat(attempts.get(1).path("endpoint_id").asText()).isEqualTo("mock:" + GatewayHarness.FALLBACK_MODEL);
            assertThat(attempts.get(1).path("status").asInt()).isEqualTo(200);
            assertThat(record.path("provider_name").asText()).isEqualTo("Mock Cloud");
            assertThat(record.path("total_cost").decimalValue())
                    .as("only the winner is billed, at its own prices")
                    .isEqualByComparingTo(answer.cost())
                    .isEqualByComparingTo(mockPrice(answer.usage()));
        }
    }

    @Test
    void hedgingConfiguredForTheModelAppliesWithoutTheRequestAsking() throws Exception {
        try (StallingUpstream stalling = StallingUpstream.start();
                GatewayHarness gateway = GatewayHarness.start(
                        Map.of(), "routing:\n  hedge:\n    acme/fallback: 150ms\n", stalling.baseUrl())) {
            Answer answer = ask(gateway, false, ",\"provider\":{\"order\":[\"extra\",\"mock\"]}");

            assertThat(answer.provider()).isEqualTo("Mock Cloud");
            JsonNode attempts = record(gateway, answer.id()).path("provider_responses");
            assertThat(attempts.get(0).path("left_because").asText()).isEqualTo("hedge_lost");
            assertThat(stalling.awaitAllClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void anAttemptThatAnswersBeforeTheHedgeIsDueRunsAlone() throws Exception {
        try (StallingUpstream stalling = StallingUpstream.start();
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", stalling.baseUrl())) {
            Answer answer =
                    ask(gateway, true, ",\"provider\":{\"order\":[\"mock\",\"extra\"],\"hedge\":{\"after_ms\":5000}}");

            assertThat(answer.provider()).isEqualTo("Mock Cloud");
            assertThat(stalling.connections()).isZero();
            assertThat(record(gateway, answer.id()).path("provider_responses")).hasSize(1);
        }
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void aHedgeThatFailsLeavesTheSlowAttemptToAnswer(boolean stream) {
        try (FixedUpstream failing =
                        FixedUpstream.answering(500, "application/json", "{\"error\":{\"message\":\"boom\"}}");
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", failing.baseUrl())) {
            // the simulator (first) takes 600 ms to its first token; the hedge starts after 100 ms and fails
            String slowFirst = ",\"simulator\":{\"ttft_ms\":600},"
                    + "\"provider\":{\"order\":[\"mock\",\"extra\"],\"hedge\":{\"after_ms\":100}}";

            Answer answer = ask(gateway, stream, slowFirst);

            assertThat(answer.provider()).isEqualTo("Mock Cloud");
            assertThat(failing.requests()).isEqualTo(1);
            JsonNode attempts = record(gateway, answer.id()).path("provider_responses");
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0).path("endpoint_id").asText())
                    .isEqualTo("extra:" + GatewayHarness.FALLBACK_MODEL);
            assertThat(attempts.get(0).path("status").asInt()).isEqualTo(500);
            assertThat(attempts.get(0).path("left_because").asText()).isEqualTo("provider_5xx");
            assertThat(attempts.get(1).path("status").asInt()).isEqualTo(200);
        }
    }

    @Test
    void aHedgeOfTheWrongShapeIsRefused() {
        try (GatewayHarness gateway = GatewayHarness.start()) {
            for (String hedge : new String[] {"300", "{\"after_ms\":-1}", "{\"after_ms\":1.5}", "{\"after\":100}"}) {
                HttpResponse<String> response = gateway.post(
                        "/chat/completions",
                        "{\"model\":\"acme/chat-small\",\"provider\":{\"hedge\":" + hedge
                                + "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(response.statusCode()).as(hedge).isEqualTo(400);
                assertThat(GatewayHarness.json(response)
                                .path("error")
                                .path("metadata")
                                .path("param")
                                .asText())
                        .startsWith("provider.hedge");
            }
        }
    }

    private record Answer(String id, String provider, JsonNode usage, BigDecimal cost) {}

    private static Answer ask(GatewayHarness gateway, boolean stream, String extraFields) {
        String body = "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + "\",\"stream\":" + stream
                + ",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extraFields + "}";
        if (stream) {
            StreamedResponse response = gateway.stream(body, Map.of());
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.chunks()).noneMatch(c -> c.has("error"));
            assertThat(response.dataLines().getLast()).isEqualTo("data: [DONE]");
            JsonNode last = response.chunks().getLast();
            return new Answer(
                    last.path("id").asText(),
                    last.path("provider").asText(),
                    last.path("usage"),
                    last.path("usage").path("cost").decimalValue());
        }
        HttpResponse<String> response = gateway.post("/chat/completions", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode completion = GatewayHarness.json(response);
        return new Answer(
                completion.path("id").asText(),
                completion.path("provider").asText(),
                completion.path("usage"),
                completion.path("usage").path("cost").decimalValue());
    }

    /** What {@code acme/fallback}'s mock endpoint charges for this usage. */
    private static BigDecimal mockPrice(JsonNode usage) {
        return new BigDecimal("0.000001")
                .multiply(BigDecimal.valueOf(usage.path("prompt_tokens").asLong()))
                .add(new BigDecimal("0.000003")
                        .multiply(BigDecimal.valueOf(
                                usage.path("completion_tokens").asLong())));
    }

    private static JsonNode record(GatewayHarness gateway, String id) {
        HttpResponse<String> response = gateway.get("/generation?id=" + id, gateway.apiKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response).path("data");
    }
}
