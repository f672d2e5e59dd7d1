package dev.switchboard.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Fixtures;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.chat.Attribution;
import dev.switchboard.core.chat.ChatRequest;
import dev.switchboard.core.chat.ChatRequestParser;
import dev.switchboard.server.http.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Building the upstream body from the client's (field filter, upstream model name, and for streams
 * {@code stream_options.include_usage}) and serialising it to the bytes that go on the wire.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class OpenAiRequestsBenchmark {
    @Param({"false", "true"})
    boolean stream;

    private final ObjectMapper json = Json.mapper();
    private final Endpoint endpoint = new Endpoint("mock", "gpt-4o-mini", Pricing.of("0.00000015", "0.0000006"),
            128_000, 0, "unknown", List.of());
    private ChatRequest request;

    @Setup
    public void parseRequest() throws IOException {
        ObjectNode body = (ObjectNode) json.readTree(Fixtures.CHAT_REQUEST);
        if (stream) {
            body.put("stream", true);
        }
        request = new ChatRequestParser().parse(body, Attribution.NONE);
    }

    @Benchmark
    public ObjectNode build() {
        return OpenAiRequests.body(request, endpoint);
    }

    @Benchmark
    public byte[] buildAndSerialise() throws JsonProcessingException {
        return json.writeValueAsBytes(OpenAiRequests.body(request, endpoint));
    }
}
