package dev.switchboard.bench;

import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.Ticker;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import dev.switchboard.core.upstream.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tick of the timeout watchdog with {@code streams} attempts open, each past its first byte and
 * active, as during a slow-stream run: what the ticker's thread spends every 10 ms (docs/PERFORMANCE.md,
 * finding 10). Between operations (outside the measurement) the clock advances by one tick and every
 * stream reports activity once per 100 ms, so no deadline is ever reached and the figure is the cost of
 * looking.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class WatchdogBenchmark {
    private static final long TICK_NANOS = Duration.ofMillis(10).toNanos();
    private static final Timeouts TIMEOUTS =
            new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(10));

    @Param({"1000", "10000"})
    public int streams;

    private final Ticker ticker = Ticker.manual();
    private final TimeoutWatchdog watchdog = new TimeoutWatchdog(ticker);
    private final List<CallControl> calls = new ArrayList<>();
    private long now;
    private int ticks;

    @Setup(Level.Trial)
    public void open() {
        for (int i = 0; i < streams; i++) {
            CallControl call = new CallControl(() -> now);
            call.activity();
            calls.add(call);
            var unused = watchdog.watch(call, TIMEOUTS);
        }
    }

    /** Time moves one tick; every tenth, each stream has had an event (one every 100 ms). Not measured. */
    @Setup(Level.Invocation)
    public void advance() {
        now += TICK_NANOS;
        if (++ticks % 10 == 0) {
            for (CallControl call : calls) {
                call.activity();
            }
        }
    }

    @Benchmark
    public void tick() {
        ticker.tickOnce(now);
    }

    @TearDown(Level.Trial)
    public void close() {
        watchdog.close();
        ticker.close();
    }
}
