package dev.switchboard.bench.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The slow-stream harness: opens N concurrent streamed chat completions against a gateway or the
 * upstream simulator, each paced by the simulator at one event per interval, and measures how late
 * each event arrives, how long the first byte takes, how streams end, and (given a pid) the
 * target's RSS, threads, descriptors and CPU. Prints progress to stderr and one {@code SLOW-STREAMS}
 * summary line to stdout; writes the result files with {@code --out}. {@code scripts/streams.sh}
 * runs it against the gateway and the simulator alone; docs/PERFORMANCE.md ("Slow streams") has the
 * method. Usage: {@link StreamsOptions#USAGE}.
 *
 * <p>Exit status: 0 when every stream completed, 3 when any failed, 2 for a bad command line.
 */
public final class SlowStreams {
    /** Between the warm-up and the measured run, for the warm-up's connections to close. */
    static final Duration WARMUP_PAUSE = Duration.ofSeconds(1);

    private SlowStreams() {}

    /**
     * Runs the harness.
     *
     * @param args see {@code --help}
     * @throws InterruptedException if interrupted while streams run
     * @throws IOException if the result files cannot be written
     */
    public static void main(String[] args) throws InterruptedException, IOException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(StreamsOptions.USAGE);
            return;
        }
        Optional<StreamsOptions> options = parse(args);
        if (options.isEmpty()) {
            System.exit(2);
            return;
        }
        if (options.get().warmupStreams() > 0) {
            System.err.println(
                    StreamsRun.run(options.get().warmup(), System.err).summaryLine());
            Thread.sleep(WARMUP_PAUSE);
        }
        StreamsReport report = StreamsRun.run(options.get(), System.err);
        System.out.println(report.summaryLine());
        if (options.get().out().isPresent()) {
            report.write(options.get().out().get());
        }
        System.exit(report.errors() == 0 ? 0 : 3);
    }

    private static Optional<StreamsOptions> parse(String[] args) {
        try {
            return Optional.of(StreamsOptions.parse(args));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("slow-streams: " + e.getMessage());
            System.err.print(StreamsOptions.USAGE);
            return Optional.empty();
        }
    }
}
