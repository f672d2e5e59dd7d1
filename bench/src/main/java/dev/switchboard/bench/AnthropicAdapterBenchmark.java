package dev.switchboard.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.anthropic.AnthropicAdapter;
import dev.switchboard.provider.anthropic.AnthropicEventStream;
import dev.switchboard.provider.openai.OpenAiChatRequests;
import dev.switchboard.provider.sse.SseReader;
import dev.switchboard.server.http.Json;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Anthropic adapter's hot path, beside {@link UpstreamRequestBenchmark} and {@link OpenAiStreamBenchmark}
 * for the OpenAI one: the Messages body written from the canonical request and serialised, and one
 * Messages stream of the same 20 words decoded into canonical events (1,460 bytes per read).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class AnthropicAdapterBenchmark {
    private final ObjectMapper json = Json.mapper();
    private final Endpoint endpoint = new Endpoint(
            "anthropic", "claude-bench", Pricing.of("0.000003", "0.000015"), 200_000, 0, "unknown", List.of());
    private ChatRequest request;

    @Setup
    public void parseRequest() throws IOException {
        request = OpenAiChatRequests.read(json.readTree(Fixtures.CHAT_REQUEST), Attribution.NONE);
    }

    @Benchmark
    public byte[] buildAndSerialise() throws JsonProcessingException {
        return json.writeValueAsBytes(AnthropicAdapter.requestBody(request, endpoint));
    }

    @Benchmark
    public void decodeStream(Blackhole sink) {
        EventStream stream = AnthropicEventStream.decoding(
                new CappedInputStream(Fixtures.ANTHROPIC_STREAM, 1460),
                json,
                CallControl.start(),
                "Bench",
                SseReader.DEFAULT_MAX_EVENT_BYTES);
        for (StreamEvent event = stream.next(); !(event instanceof StreamEvent.End); event = stream.next()) {
            sink.consume(event);
        }
    }
}
