package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.Cost;
import dev.switchboard.core.accounting.CostCalculator;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.model.response.TokenUsage;
import dev.switchboard.server.chat.ResponseShaper;
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
 * Putting upstream JSON into OpenRouter's shape. {@link ResponseShaper} mutates a tree the request
 * owns, so each operation parses its own copy first: {@code chunkParseWrite} (parse and write back,
 * no shaping) is the baseline that {@code chunkParseShapeWrite} is read against. The completion and
 * usage-chunk cases are the non-streaming answer and the one usage chunk that ends every stream.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class ResponseShaperBenchmark {
    private final ObjectMapper json = Json.mapper();
    private final byte[] chunk = Fixtures.contentChunk();
    private final ResponseShaper shaper =
            new ResponseShaper("gen-1795399241-swhe2pwZg4IIgROY5GNa", "bench/chat", "Bench Mock", 1_732_300_000L);
    private final TokenUsage usage = new TokenUsage(25, 42, 0, 0, 0);
    private final Cost cost = CostCalculator.cost(Pricing.of("0.00000015", "0.0000006"), usage);

    @Benchmark
    public byte[] chunkParseWrite() throws IOException {
        return Json.bytes(json, json.readTree(chunk));
    }

    @Benchmark
    public byte[] chunkParseShapeWrite() throws IOException {
        ObjectNode tree = (ObjectNode) json.readTree(chunk);
        shaper.shapeChunk(tree);
        return Json.bytes(json, tree);
    }

    @Benchmark
    public byte[] completionParseShapeWrite() throws IOException {
        ObjectNode body = (ObjectNode) json.readTree(Fixtures.COMPLETION);
        body.remove("usage");
        shaper.shapeCompletion(body, usage, cost);
        return Json.bytes(json, body);
    }

    @Benchmark
    public byte[] usageChunk() {
        return Json.bytes(json, shaper.usageChunk(usage, cost));
    }
}
