package dev.switchboard.bench.streams;

import dev.switchboard.bench.streams.RunMonitor.Sample;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One run: opens {@link StreamsOptions#streams()} streams at {@link StreamsOptions#rampPerSecond()}
 * (stream {@code i} starts {@code i / rate} seconds after the first, against that schedule, so a
 * slow start does not slow the ramp), one virtual thread each, waits for every one to end, and
 * reports. Each stream ends by itself: on its last event, on an error, after the read timeout of
 * silence, or at its deadline.
 */
final class StreamsRun {
    private StreamsRun() {}

    /**
     * Runs and reports; progress lines go to {@code progress}.
     *
     * @throws InterruptedException if the calling thread is interrupted while streams are running
     */
    static StreamsReport run(StreamsOptions options, PrintStream progress) throws InterruptedException {
        progress.println(String.format(
                Locale.ROOT,
                "slow-streams: %s: %d streams of %d events every %d ms, opened at %.0f/s (about %.0f s in all)",
                options.label(),
                options.streams(),
                options.events(),
                options.intervalMs(),
                options.rampPerSecond(),
                options.streams() / options.rampPerSecond()
                        + options.streamLength().toMillis() / 1000.0));
        StreamTally tally = new StreamTally();
        HarnessCost before = HarnessCost.now();
        long start = System.nanoTime();
        RunMonitor monitor = RunMonitor.start(options.pid(), tally, progress, start);
        CountDownLatch ended = new CountDownLatch(options.streams());
        try {
            ramp(options, tally, ended, start);
            ended.await();
        } catch (InterruptedException e) {
            monitor.stop();
            throw e;
        }
        List<Sample> samples = monitor.stop();
        progress.flush();
        return StreamsReport.of(
                options,
                tally,
                samples,
                (System.nanoTime() - start) / 1e9,
                HarnessCost.now().minus(before));
    }

    private static void ramp(StreamsOptions options, StreamTally tally, CountDownLatch ended, long start)
            throws InterruptedException {
        InetSocketAddress address = options.address();
        byte[] request = options.request();
        ThreadFactory threads = Thread.ofVirtual().name("stream-", 0).factory();
        double gapNanos = 1e9 / options.rampPerSecond();
        for (int i = 0; i < options.streams(); i++) {
            TimeUnit.NANOSECONDS.sleep(start + (long) (i * gapNanos) - System.nanoTime());
            threads.newThread(() -> {
                        try {
                            tally.streamEnded(new SlowStream(options, address, request, tally).run());
                        } finally {
                            ended.countDown();
                        }
                    })
                    .start();
        }
    }
}
