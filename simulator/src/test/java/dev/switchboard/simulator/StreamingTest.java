package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.chat;
import static dev.switchboard.simulator.SimulatorClient.events;
import static dev.switchboard.simulator.SimulatorClient.json;
import static dev.switchboard.simulator.SimulatorClient.streaming;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamingTest {

    private static UpstreamSimulator simulator;
    private static SimulatorClient client;

    @BeforeAll
    static void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults().withDefaultOutputTokens(5));
        client = new SimulatorClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void streamsRoleThenTokensThenFinishThenDone() throws Exception {
        HttpResponse<String> response = client.post(streaming("stream please"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("x-simulator")).hasValue("switchboard");
        List<String> events = events(response.body());
        assertThat(events).hasSize(1 + 5 + 1 + 1).last().isEqualTo("[DONE]");
        List<JsonNode> chunks =
                events.subList(0, 7).stream().map(SimulatorClient::json).toList();
        assertThat(delta(chunks.get(0)).toString())
                .isEqualTo("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}");
        for (JsonNode token : chunks.subList(1, 6)) {
            assertThat(delta(token).fieldNames()).toIterable().containsExactly("content");
            assertThat(token.path("choices").get(0).path("finish_reason").isNull())
                    .isTrue();
        }
        assertThat(delta(chunks.get(6)).isEmpty()).isTrue();
        assertThat(chunks.get(6).path("choices").get(0).path("finish_reason").asText())
                .isEqualTo("stop");
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.has("usage")).isFalse());
    }

    @Test
    void framesEveryChunkLikeOpenAi() throws Exception {
        List<String> events = events(client.post(streaming("shape")).body());
        JsonNode chunk = json(events.get(1));

        assertThat(chunk.fieldNames())
                .toIterable()
                .containsExactly("id", "object", "created", "model", "system_fingerprint", "choices");
        assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(chunk.path("system_fingerprint").asText()).isEqualTo("fp_simulator");
        assertThat(chunk.path("choices").get(0).fieldNames())
                .toIterable()
                .containsExactly("index", "delta", "logprobs", "finish_reason");
        assertThat(events.subList(0, events.size() - 1))
                .extracting(e -> json(e).path("id").asText())
                .containsOnly(chunk.path("id").asText());
    }

    @Test
    void streamsTheSameTextAsTheNonStreamingAnswer() throws Exception {
        List<String> events = events(client.post(streaming("compare")).body());
        StringBuilder streamed = new StringBuilder();
        for (String event : events.subList(1, 6)) {
            streamed.append(delta(json(event)).path("content").asText());
        }
        JsonNode whole = json(client.post(chat("compare")).body());

        assertThat(streamed)
                .hasToString(whole.path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText());
    }

    @Test
    void addsAUsageChunkAndNullUsageEverywhereElseOnlyWhenAskedFor() throws Exception {
        ObjectNode request = streaming("usage please");
        request.putObject("stream_options").put("include_usage", true);
        List<String> events = events(client.post(request).body());

        assertThat(events).hasSize(1 + 5 + 1 + 1 + 1).last().isEqualTo("[DONE]");
        for (String event : events.subList(0, 7)) {
            assertThat(json(event).has("usage")).isTrue();
            assertThat(json(event).path("usage").isNull()).isTrue();
        }
        JsonNode usageChunk = json(events.get(7));
        assertThat(usageChunk.path("choices").isArray()).isTrue();
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(usageChunk.path("usage").path("total_tokens").asInt()).isEqualTo(8);
    }

    @Test
    void streamsAFinishReasonOfLengthWhenCapped() throws Exception {
        ObjectNode request = streaming("cap the stream");
        request.put("max_completion_tokens", 2);
        List<String> events = events(client.post(request).body());

        assertThat(events).hasSize(1 + 2 + 1 + 1);
        assertThat(json(events.get(3))
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText())
                .isEqualTo("length");
    }

    @Test
    void countsCompletedStreams() throws Exception {
        long before = simulator.stats().streamsCompleted();
        client.post(streaming("count me"));

        assertThat(simulator.stats().awaitCompletedStreams(before + 1, Duration.ofSeconds(2)))
                .isTrue();
        assertThat(simulator.stats().activeStreams()).isZero();
    }

    private static JsonNode delta(JsonNode chunk) {
        return chunk.path("choices").get(0).path("delta");
    }
}
