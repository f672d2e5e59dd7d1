package dev.switchboard.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream's JSON may hold a number the gateway can read but not write back as a plain decimal
 * ({@code 1e-10000} has a scale of 10000). Such an answer must still end properly for the client:
 * 502 with OpenRouter's envelope for a whole response, and for a stream an in-band error chunk and
 * {@code [DONE]} after the chunks already relayed. Never a 500, never a stream that just stops.
 * The simulator cannot send such a number, so the provider here is a {@link FixedUpstream}.
 */
class ExtremeNumberTest {
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
        upstream = FixedUpstream.start(COMPLETION, EVENTS.toArray(String[]::new));
        gateway = GatewayHarness.start(Map.of(), "", upstream.baseUrl());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void answers502ForAWholeResponseWithANumberItCannotWriteBack() {
        HttpResponse<String> response = gateway.post("/chat/completions",
                "{\"model\":\"" + GatewayHarness.EXTRA_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode error = GatewayHarness.json(response).path("error");
        assertThat(error.path("code").asInt()).as("envelope %s", response.body()).isEqualTo(502);
        assertThat(error.path("message").asText()).isNotBlank();
    }

    @Test
    void endsAStreamWithANumberItCannotWriteBackWithAnInBandErrorThenDone() {
        StreamedResponse stream = gateway.stream("{\"model\":\"" + GatewayHarness.EXTRA_MODEL + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.dataLines()).as("the stream ends with [DONE] in %s", stream.lines()).isNotEmpty();
        assertThat(stream.dataLines().getLast()).as("the stream ends with [DONE] in %s", stream.lines()).isEqualTo("data: [DONE]");
        assertThat(stream.chunks()).anySatisfy(c -> assertThat(c.path("choices").path(0).path("delta").path("content").asText()).isEqualTo("Hello"));
        JsonNode last = stream.chunks().getLast();
        assertThat(last.path("error").isObject()).as("in-band error in %s", last).isTrue();
        assertThat(last.path("error").path("code").isInt()).as("numeric error code in %s", last).isTrue();
        assertThat(last.path("error").path("message").asText()).isNotBlank();
        assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    }

    private static String chunk(String delta, String finishReason, String extraFields) {
        return "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"extra-model\""
                + extraFields + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}";
    }
}
