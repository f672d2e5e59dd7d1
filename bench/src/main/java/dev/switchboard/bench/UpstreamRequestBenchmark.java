package dev.switchboard.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.provider.openai.OpenAiAdapter;
import dev.switchboard.provider.openai.OpenAiChatRequests;
import dev.switchboard.server.http.Json;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

/**
 * The body the OpenAI adapter sends upstream, built and serialised to the bytes that go on the wire.
 * {@code lane=native}: from the client's own OpenAI body (field filter, upstream model name, and for
 * streams {@code stream_options.include_usage}), the pass-through lane. {@code lane=translated}: written
 * from the canonical request first, as for a client of another API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class UpstreamRequestBenchmark {
    @Param({"false", "true"})
    boolean stream;

    @Param({"native", "translated"})
    String lane;

    private final ObjectMapper json = Json.mapper();
    private final Endpoint endpoint = new Endpoint(
            "mock", "gpt-4o-mini", Pricing.of("0.00000015", "0.0000006"), 128_000, 0, "unknown", List.of());
    private ChatRequest request;

    @Setup
    public void parseRequest() throws IOException {
        ObjectNode body = (ObjectNode) json.readTree(Fixtures.CHAT_REQUEST);
        if (stream) {
            body.put("stream", true);
        }
        ChatRequest read = OpenAiChatRequests.read(body, Attribution.NONE);
        request = lane.equals("native")
                ? read
                : read.toBuilder().source(Optional.empty()).build();
    }

    @Benchmark
    public ObjectNode build() {
        return OpenAiAdapter.requestBody(request, endpoint, MaxTokensField.AS_SENT);
    }

    @Benchmark
    public byte[] buildAndSerialise() throws JsonProcessingException {
        return json.writeValueAsBytes(OpenAiAdapter.requestBody(request, endpoint, MaxTokensField.AS_SENT));
    }
}
