package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.openai.OpenAiEventStream;
import dev.switchboard.provider.sse.SseReader;
import dev.switchboard.server.http.Json;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding one upstream stream into canonical events, as the OpenAI adapter does it: SSE framing,
 * {@code CallControl} bracketing of each read, a Jackson tree per chunk, usage split off. Input
 * arrives 1,460 bytes (one Ethernet-sized segment) per read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class OpenAiStreamBenchmark {
    private final ObjectMapper json = Json.mapper();

    @Benchmark
    public void decodeStream(Blackhole sink) {
        CallControl control = CallControl.start();
        EventStream stream = OpenAiEventStream.decoding(
                new CappedInputStream(Fixtures.OPENAI_STREAM, 1460),
                json,
                control,
                "Bench",
                SseReader.DEFAULT_MAX_EVENT_BYTES,
                false);
        for (StreamEvent event = stream.next(); !(event instanceof StreamEvent.End); event = stream.next()) {
            sink.consume(event);
        }
    }
}
