package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.Fixtures;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.StreamEvent;
import dev.switchboard.core.upstream.CallControl;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiBenchmarksTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void decoderYieldsTwentyChunksAndOneUsage() {
        EventStream stream = BenchCodecs.decoder(new ByteArrayInputStream(Fixtures.OPENAI_STREAM), json, CallControl.start(), "Bench");
        List<StreamEvent> events = new ArrayList<>();
        for (StreamEvent e = stream.next(); !(e instanceof StreamEvent.End); e = stream.next()) {
            events.add(e);
        }
        assertThat(events).hasSize(Fixtures.STREAM_CHUNKS + 1);
        assertThat(events.subList(0, 20)).allMatch(StreamEvent.Chunk.class::isInstance);
        assertThat(events.getLast()).isInstanceOf(StreamEvent.Usage.class);
    }

    @Test
    void upstreamBodyNamesTheUpstreamModelAndAsksStreamsForUsage() throws Exception {
        OpenAiRequestsBenchmark benchmark = new OpenAiRequestsBenchmark();
        benchmark.stream = true;
        benchmark.parseRequest();
        JsonNode body = json.readTree(benchmark.buildAndSerialise());
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }
}
