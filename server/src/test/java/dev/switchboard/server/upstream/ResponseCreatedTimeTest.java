package dev.switchboard.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import dev.switchboard.testkit.FixedUpstream;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code created} is one value per response, the time the gateway received the request: the
 * provider's own clock (here an upstream that says 2023-11-14) never mixes with the gateway's, so the
 * content chunks and the usage chunk of one stream agree.
 */
class ResponseCreatedTimeTest {
    private static final long UPSTREAM_CREATED = 1_700_000_000L;
    private static FixedUpstream upstream;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        String completion = """
                {"id":"chatcmpl-x","object":"chat.completion","created":1700000000,"model":"extra-model",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
        upstream = FixedUpstream.openAi(
                completion,
                chunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", "null"),
                chunk("{}", "\"stop\""),
                "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"extra-model\","
                        + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}");
        gateway = GatewayHarness.start(Map.of(), "", upstream.baseUrl());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aWholeResponseIsDatedWhenTheGatewayReceivedIt() {
        long before = Instant.now().getEpochSecond();
        HttpResponse<String> response = gateway.post(
                "/chat/completions",
                "{\"model\":\"" + GatewayHarness.EXTRA_MODEL
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(GatewayHarness.json(response).path("created").asLong())
                .isBetween(before, Instant.now().getEpochSecond());
    }

    @Test
    void everyChunkOfAStreamCarriesTheSameCreated() {
        long before = Instant.now().getEpochSecond();
        StreamedResponse stream = gateway.stream(
                "{\"model\":\"" + GatewayHarness.EXTRA_MODEL + "\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());

        List<JsonNode> chunks = stream.chunks();
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        assertThat(chunks.getLast().has("usage")).isTrue();
        assertThat(chunks)
                .extracting(c -> c.path("created").asLong())
                .containsOnly(chunks.getFirst().path("created").asLong());
        assertThat(chunks.getFirst().path("created").asLong())
                .isNotEqualTo(UPSTREAM_CREATED)
                .isBetween(before, Instant.now().getEpochSecond());
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"extra-model\""
                + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}";
    }
}
