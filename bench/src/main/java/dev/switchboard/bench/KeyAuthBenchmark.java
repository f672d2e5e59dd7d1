package dev.switchboard.bench;

import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.keys.KeySecrets;
import java.time.Clock;
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

/**
 * Key authentication on every request: SHA-256 of the presented secret ({@link KeySecrets#hash}), and
 * the whole {@link KeyRegistry#authenticateInference} (header parsing, hash, map lookup) with 1,000
 * keys registered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class KeyAuthBenchmark {
    private KeyRegistry registry;
    private String secret;
    private String header;

    @Setup
    public void registerKeys() {
        registry = new KeyRegistry(new MemoryKeyStore(), Clock.systemUTC());
        for (int i = 0; i < 999; i++) {
            registry.create("key " + i, false);
        }
        secret = registry.create("bench", false).secret();
        header = "Bearer " + secret;
    }

    @Benchmark
    public String hash() {
        return KeySecrets.hash(secret);
    }

    @Benchmark
    public ApiKey authenticate() {
        return registry.authenticateInference(header);
    }
}
