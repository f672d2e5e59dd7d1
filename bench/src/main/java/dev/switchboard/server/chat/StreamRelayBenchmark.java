package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.CappedInputStream;
import dev.switchboard.bench.Fixtures;
import dev.switchboard.core.accounting.Cost;
import dev.switchboard.core.accounting.CostCalculator;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.chat.FinishReason;
import dev.switchboard.core.chat.TokenUsage;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.StreamEvent;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.provider.openai.BenchCodecs;
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

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The CPU work of relaying one whole stream, sockets left out: upstream bytes in (through the real
 * OpenAI decoder, 1,460 bytes per read), OpenRouter SSE bytes out (through the real
 * {@link ResponseShaper} and {@link SseWriter}), with the per-chunk bookkeeping, the cost and the usage
 * chunk of {@code StreamingResponder}'s relay loop, which this mirrors event for event. Divide by 21
 * for the cost per relayed event.
 *
 * <p>{@link #relay} returns the bytes written, so a broken relay shows as a wrong size in the fixture
 * test rather than as a fast benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class StreamRelayBenchmark {
    private final ObjectMapper json = Json.mapper();
    private final Pricing pricing = Pricing.of("0.00000015", "0.0000006");
    private final ByteArrayOutputStream client = new ByteArrayOutputStream(16 * 1024);

    @Benchmark
    public int relay() {
        client.reset();
        CallControl control = CallControl.start();
        EventStream upstream = BenchCodecs.decoder(new CappedInputStream(Fixtures.OPENAI_STREAM, 1460), json, control, "Bench Mock");
        ResponseShaper shaper = new ResponseShaper("gen-1795399241-swhe2pwZg4IIgROY5GNa", "bench/stream", "Bench Mock", 1_732_300_000L);
        SseWriter sse = new SseWriter(client);
        StringBuilder text = new StringBuilder();
        String upstreamId = "";
        String finishReason = "";
        Optional<TokenUsage> reported = Optional.empty();
        for (StreamEvent event = upstream.next(); !(event instanceof StreamEvent.End); event = upstream.next()) {
            switch (event) {
                case StreamEvent.Chunk chunk -> {
                    ObjectNode tree = chunk.chunk();
                    if (upstreamId.isEmpty()) {
                        upstreamId = tree.path("id").asText("");
                    }
                    JsonNode content = tree.path("choices").path(0).path("delta").path("content");
                    if (content.isTextual()) {
                        text.append(content.asText());
                    }
                    if (chunk.nativeFinishReason() != null) {
                        finishReason = FinishReason.normalise(chunk.nativeFinishReason());
                    }
                    shaper.shapeChunk(tree);
                    sse.data(Json.bytes(json, tree));
                }
                case StreamEvent.Usage u -> reported = Optional.of(u.usage());
                case StreamEvent.End end -> throw new IllegalStateException("end is handled by the loop");
            }
        }
        TokenUsage usage = reported.orElseThrow();
        Cost cost = CostCalculator.cost(pricing, usage);
        sse.data(Json.bytes(json, shaper.usageChunk(usage, cost)));
        sse.done();
        return client.size() + text.length() + upstreamId.length() + finishReason.length();
    }

    /** The SSE bytes the last {@link #relay} wrote. */
    byte[] written() {
        return client.toByteArray();
    }
}
