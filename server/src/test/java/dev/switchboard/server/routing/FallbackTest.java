package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import dev.switchboard.testkit.FixedUpstream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An attempt that fails before it answered anything is left for the next one, and the client never
 * knows: the first endpoint of {@code acme/fallback} is a fixed upstream that fails (a 500, a connection
 * closed before any byte, a stream whose role chunk is followed by an error), the second the simulator.
 * Both attempts are in the record; only the second is billed.
 */
class FallbackTest {
    private static final String ROLE_CHUNK =
            "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"extra-model\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}";
    private static final String ERROR_CHUNK = "{\"error\":{\"message\":\"overloaded\",\"code\":503}}";

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void fallsBackFromAProviderThatAnswers500(boolean stream) {
        try (FixedUpstream failing =
                        FixedUpstream.answering(500, "application/json", "{\"error\":{\"message\":\"boom\"}}");
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", failing.baseUrl())) {
            expectAnsweredBySecond(gateway, stream, failing, 500);
        }
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void fallsBackFromAProviderThatClosesBeforeAnswering(boolean stream) {
        try (FixedUpstream failing = FixedUpstream.sendingRaw(new byte[0]);
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", failing.baseUrl())) {
            expectAnsweredBySecond(gateway, stream, failing, 502);
        }
    }

    @Test
    void fallsBackFromAStreamWhoseRoleChunkIsFollowedByAnError() {
        try (FixedUpstream failing = FixedUpstream.streaming(ROLE_CHUNK, ERROR_CHUNK);
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", failing.baseUrl())) {
            expectAnsweredBySecond(gateway, true, failing, 503);
        }
    }

    @Test
    void doesNotFallBackFromARequestTheProviderRefused() {
        try (FixedUpstream refusing =
                        FixedUpstream.answering(400, "application/json", "{\"error\":{\"message\":\"bad request\"}}");
                GatewayHarness gateway = GatewayHarness.start(Map.of(), "", refusing.baseUrl())) {
            HttpResponse<String> response = gateway.post("/chat/completions", body(false));

            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode record = record(
                    gateway, response.headers().firstValue("X-Generation-Id").orElseThrow());
            assertThat(record.path("provider_responses")).hasSize(1);
            assertThat(gateway.simulator().stats().requestsReceived()).isZero();
        }
    }

    private static void expectAnsweredBySecond(
            GatewayHarness gateway, boolean stream, FixedUpstream failing, int firstStatus) {
        String id;
        JsonNode usage;
        if (stream) {
            StreamedResponse response = gateway.stream(body(true), Map.of());
            assertThat(response.status()).isEqualTo(200);
            List<JsonNode> chunks = response.chunks();
            assertThat(chunks).noneMatch(c -> c.has("error"));
            assertThat(chunks)
                    .allSatisfy(c -> assertThat(c.path("provider").asText()).isEqualTo("Mock Cloud"));
            assertThat(response.dataLines().getLast()).isEqualTo("data: [DONE]");
            id = chunks.getFirst().path("id").asText();
            usage = chunks.getLast().path("usage");
        } else {
            HttpResponse<String> response = gateway.post("/chat/completions", body(false));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode completion = GatewayHarness.json(response);
            assertThat(completion.path("provider").asText()).isEqualTo("Mock Cloud");
            id = completion.path("id").asText();
            usage = completion.path("usage");
        }
        assertThat(failing.requests()).isEqualTo(1);
        BigDecimal billed = new BigDecimal("0.000001")
                .multiply(BigDecimal.valueOf(usage.path("prompt_tokens").asLong()))
                .add(new BigDecimal("0.000003")
                        .multiply(BigDecimal.valueOf(
                                usage.path("completion_tokens").asLong())));
        assertThat(usage.path("cost").decimalValue())
                .as("billed at the second provider's prices")
                .isEqualByComparingTo(billed);

        JsonNode record = record(gateway, id);
        JsonNode attempts = record.path("provider_responses");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("endpoint_id").asText()).isEqualTo("extra:" + GatewayHarness.FALLBACK_MODEL);
        assertThat(attempts.get(0).path("status").asInt()).isEqualTo(firstStatus);
        assertThat(attempts.get(0).has("error_type")).isTrue();
        assertThat(attempts.get(1).path("endpoint_id").asText()).isEqualTo("mock:" + GatewayHarness.FALLBACK_MODEL);
        assertThat(attempts.get(1).path("status").asInt()).isEqualTo(200);
        assertThat(record.path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(record.path("total_cost").decimalValue()).isEqualByComparingTo(billed);
        assertThat(record.path("status").asInt()).isEqualTo(200);
    }

    private static JsonNode record(GatewayHarness gateway, String id) {
        HttpResponse<String> response = gateway.get("/generation?id=" + id, gateway.apiKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response).path("data");
    }

    private static String body(boolean stream) {
        // order: the failing provider first, although load balancing would pick it first only most of the time
        return "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + "\",\"provider\":{\"order\":[\"extra\"]},\"stream\":"
                + stream + ",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }
}
