package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay benchmark measures a correct relay, not a short cut. */
class StreamRelayBenchmarkTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void relaysTwentyChunksThenOneUsageChunkThenDone() throws Exception {
        StreamRelayBenchmark benchmark = new StreamRelayBenchmark();
        benchmark.relay();
        String sse = new String(benchmark.written(), StandardCharsets.UTF_8);

        List<String> events = List.of(sse.split("\n\n"));
        assertThat(events).hasSize(22);
        assertThat(events.getLast()).isEqualTo("data: [DONE]");
        for (String event : events.subList(0, 20)) {
            JsonNode chunk = json.readTree(event.substring("data: ".length()));
            assertThat(chunk.path("id").asText()).isEqualTo("gen-1795399241-swhe2pwZg4IIgROY5GNa");
            assertThat(chunk.path("model").asText()).isEqualTo("bench/stream");
            assertThat(chunk.has("usage")).isFalse();
        }
        JsonNode usage = json.readTree(events.get(20).substring("data: ".length())).path("usage");
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(45);
        assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo("0.00001575");
    }

    @Test
    void shaperBenchmarksProduceOpenRouterShapes() throws Exception {
        ResponseShaperBenchmark benchmark = new ResponseShaperBenchmark();
        JsonNode chunk = json.readTree(benchmark.chunkParseShapeWrite());
        assertThat(chunk.path("provider").asText()).isEqualTo("Bench Mock");
        assertThat(chunk.path("choices").path(0).has("native_finish_reason")).isTrue();
        JsonNode completion = json.readTree(benchmark.completionParseShapeWrite());
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.path("usage").path("cost").decimalValue()).isEqualByComparingTo("0.00002895");
    }
}
