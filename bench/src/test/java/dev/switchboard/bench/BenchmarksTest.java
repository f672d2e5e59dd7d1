package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.openai.OpenAiEventStream;
import dev.switchboard.provider.sse.SseReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmarks measure the real work, not a short cut: each does what the gateway does with the fixtures. */
class BenchmarksTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void decoderYieldsTheStreamsTextOneFinishAndOneUsage() {
        EventStream stream = OpenAiEventStream.decoding(
                new ByteArrayInputStream(Fixtures.OPENAI_STREAM),
                json,
                CallControl.start(),
                "Bench",
                SseReader.DEFAULT_MAX_EVENT_BYTES,
                true);
        List<StreamEvent> events = new ArrayList<>();
        for (StreamEvent e = stream.next(); !(e instanceof StreamEvent.End); e = stream.next()) {
            events.add(e);
        }
        assertThat(events).filteredOn(StreamEvent.Native.class::isInstance).hasSize(Fixtures.STREAM_CHUNKS);
        assertThat(events).filteredOn(StreamEvent.Finished.class::isInstance).hasSize(1);
        assertThat(events.getLast()).isInstanceOf(StreamEvent.UsageReported.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "translated"})
    void upstreamBodyNamesTheUpstreamModelAndAsksStreamsForUsage(String lane) throws Exception {
        UpstreamRequestBenchmark benchmark = new UpstreamRequestBenchmark();
        benchmark.stream = true;
        benchmark.lane = lane;
        benchmark.parseRequest();
        JsonNode body = json.readTree(benchmark.buildAndSerialise());
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "translated"})
    void streamedRequestRelaysTheTextThenOneUsageChunkThenDone(String lane) throws Exception {
        PipelineBenchmark benchmark = pipeline("stream", lane);
        try {
            benchmark.request();
            List<String> events = List.of(new String(benchmark.written(), StandardCharsets.UTF_8).split("\n\n"));

            assertThat(events.getLast()).isEqualTo("data: [DONE]");
            List<JsonNode> chunks = new ArrayList<>();
            for (String event : events.subList(0, events.size() - 1)) {
                chunks.add(json.readTree(event.substring("data: ".length())));
            }
            assertThat(chunks)
                    .allSatisfy(c -> assertThat(c.path("id").asText()).isEqualTo(PipelineBenchmark.GENERATION_ID));
            assertThat(chunks)
                    .filteredOn(c -> c.has("usage"))
                    .singleElement()
                    .satisfies(c -> assertThat(c.path("usage").path("cost").decimalValue())
                            .isEqualByComparingTo("0.00001575"));
            assertThat(chunks)
                    .filteredOn(c -> c.path("choices")
                            .path(0)
                            .path("finish_reason")
                            .asText("")
                            .equals("stop"))
                    .hasSize(1);
            StringBuilder text = new StringBuilder();
            chunks.forEach(c -> text.append(
                    c.path("choices").path(0).path("delta").path("content").asText("")));
            assertThat(text.toString()).startsWith("Hello").hasSizeGreaterThan(40);
        } finally {
            benchmark.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "translated"})
    void wholeRequestAnswersOneCompletionWithItsCost(String lane) throws Exception {
        PipelineBenchmark benchmark = pipeline("complete", lane);
        try {
            benchmark.request();
            JsonNode completion = json.readTree(benchmark.written());

            assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
            assertThat(completion
                            .path("choices")
                            .path(0)
                            .path("message")
                            .path("content")
                            .asText())
                    .isNotEmpty();
            assertThat(completion.path("usage").path("cost").decimalValue()).isEqualByComparingTo("0.00002895");
        } finally {
            benchmark.stop();
        }
    }

    @Test
    void withTheBooksOnTheRequestIsAdmittedAndCostsTheSame() throws Exception {
        PipelineBenchmark benchmark = pipeline("complete", "native", "on");
        try {
            for (int i = 0; i < 100; i++) {
                benchmark.request();
                JsonNode completion = json.readTree(benchmark.written());
                assertThat(completion.path("usage").path("cost").decimalValue()).isEqualByComparingTo("0.00002895");
            }
        } finally {
            benchmark.stop();
        }
    }

    private static PipelineBenchmark pipeline(String mode, String lane) throws Exception {
        return pipeline(mode, lane, "off");
    }

    private static PipelineBenchmark pipeline(String mode, String lane, String books) throws Exception {
        PipelineBenchmark benchmark = new PipelineBenchmark();
        benchmark.mode = mode;
        benchmark.lane = lane;
        benchmark.books = books;
        benchmark.start();
        return benchmark;
    }
}
