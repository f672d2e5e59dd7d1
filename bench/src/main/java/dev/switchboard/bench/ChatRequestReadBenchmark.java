package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.provider.openai.OpenAiChatRequests;
import dev.switchboard.server.http.Json;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a typical chat request (364 bytes: two messages, temperature, max_tokens, user) with the
 * server's mapper, and checking it into the canonical request ({@link OpenAiChatRequests}): the ingress
 * dialect's work on every request. {@code readTree} alone is the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class ChatRequestReadBenchmark {
    private final ObjectMapper json = Json.mapper();

    @Benchmark
    public JsonNode readTree() throws IOException {
        return json.readTree(Fixtures.CHAT_REQUEST);
    }

    @Benchmark
    public ChatRequest readAndParse() throws IOException {
        return OpenAiChatRequests.read(json.readTree(Fixtures.CHAT_REQUEST), Attribution.NONE);
    }
}
