package dev.switchboard.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.Fixtures;
import dev.switchboard.server.http.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Reading a typical chat request (364 bytes: two messages, temperature, max_tokens, user) with the
 * server's mapper, and checking it into a {@link ChatRequest}. {@code readTree} alone is the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class ChatRequestParserBenchmark {
    private final ObjectMapper json = Json.mapper();
    private final ChatRequestParser parser = new ChatRequestParser();

    @Benchmark
    public JsonNode readTree() throws IOException {
        return json.readTree(Fixtures.CHAT_REQUEST);
    }

    @Benchmark
    public ChatRequest readAndParse() throws IOException {
        return parser.parse(json.readTree(Fixtures.CHAT_REQUEST), Attribution.NONE);
    }
}
