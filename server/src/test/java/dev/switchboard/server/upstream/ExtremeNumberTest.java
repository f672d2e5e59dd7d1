package dev.switchboard.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import dev.switchboard.testkit.FixedUpstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upstream's JSON may hold a number with an extreme exponent ({@code 1e-10000}: a scale of 10000,
 * which plain decimal notation cannot be written in without ten thousand digits). The answer is still
 * a successful one, and it reaches the client whole, with that number relayed at its exact value: a
 * 200 for a whole response, and for a stream every chunk, the usage chunk and {@code [DONE]}. Never a
 * 500, never a stream that just stops after the chunk that holds the number. The simulator cannot send
 * such a number, so the provider here is a {@link FixedUpstream}.
 */
class ExtremeNumberTest {
    private static final BigDecimal EXTREME = new BigDecimal("1e-10000");
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final String COMPLETION = """
            {"id":"chatcmpl-x","object":"chat.completion","created":1700000000,"model":"extra-model","x_score":1e-10000,
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
    private static final List<String> EVENTS = List.of(
            chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null", ""),
            chunk("{\"content\":\"Hello\"}", "null", ""),
            chunk("{\"content\":\" world\"}", "null", ",\"x_score\":1e-10000"),
            chunk("{}", "\"stop\"", ""),
            "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"extra-model\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
    private static FixedUpstream upstream;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        upstream = FixedUpstream.openAi(COMPLETION, EVENTS.toArray(String[]::new));
        gateway = GatewayHarness.start(Map.of(), "", upstream.baseUrl());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void relaysAWholeResponseHoldingANumberWithAnExtremeExponentAtItsExactValue() {
        HttpResponse<String> response = gateway.post(
                "/chat/completions",
                "{\"model\":\"" + GatewayHarness.EXTRA_MODEL
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = exact(response.body());
        assertThat(body.path("x_score").isNumber())
                .as("x_score in %s", response.body())
                .isTrue();
        assertThat(body.path("x_score").decimalValue()).isEqualByComparingTo(EXTREME);
        assertThat(body.path("choices").path(0).path("message").path("content").asText())
                .isEqualTo("Hello");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(1);
    }

    @Test
    void relaysAStreamHoldingANumberWithAnExtremeExponentToItsEnd() {
        StreamedResponse stream = gateway.stream(
                "{\"model\":\"" + GatewayHarness.EXTRA_MODEL + "\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.dataLines()).as("data lines of %s", stream.lines()).isNotEmpty();
        assertThat(stream.dataLines().getLast())
                .as("the stream ends with [DONE]: %s", stream.lines())
                .isEqualTo("data: [DONE]");
        List<JsonNode> chunks = stream.dataLines().stream()
                .filter(l -> !l.equals("data: [DONE]"))
                .map(l -> exact(l.substring(6)))
                .toList();
        assertThat(chunks).noneSatisfy(c -> assertThat(c.has("error")).isTrue());
        assertThat(chunks).filteredOn(c -> c.has("x_score")).singleElement().satisfies(c -> {
            assertThat(c.path("x_score").decimalValue()).isEqualByComparingTo(EXTREME);
            assertThat(c.path("choices").path(0).path("delta").path("content").asText())
                    .isEqualTo(" world");
        });
        assertThat(chunks)
                .anySatisfy(c -> assertThat(
                                c.path("choices").path(0).path("finish_reason").asText())
                        .isEqualTo("stop"));
        assertThat(chunks.getLast().path("usage").path("completion_tokens").asInt())
                .as("usage chunk last")
                .isEqualTo(2);
    }

    private static JsonNode exact(String json) {
        try {
            return EXACT.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String chunk(String delta, String finishReason, String extraFields) {
        return "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"extra-model\""
                + extraFields + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason
                + "}]}";
    }
}
