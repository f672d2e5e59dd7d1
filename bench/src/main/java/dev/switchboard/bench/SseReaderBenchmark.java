package dev.switchboard.bench;

import dev.switchboard.provider.sse.SseReader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Framing only: {@link SseReader} over one whole upstream stream (22 events, 5.7 KB), payloads handed
 * out as byte slices, no JSON. {@code maxRead} is how many bytes each socket read delivers: 65536 is
 * the whole stream at once, 256 splits most lines across reads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class SseReaderBenchmark {
    @Param({"65536", "256"})
    int maxRead;

    /** Reads the whole stream; returns the payload bytes seen, so the work cannot be eliminated. */
    @Benchmark
    public long readStream() throws IOException {
        SseReader reader = new SseReader(new CappedInputStream(Fixtures.OPENAI_STREAM, maxRead));
        long bytes = 0;
        for (SseReader.Payload p = reader.next(); p != null; p = reader.next()) {
            bytes += p.length();
        }
        return bytes;
    }
}
