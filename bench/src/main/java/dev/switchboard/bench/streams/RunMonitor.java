package dev.switchboard.bench.streams;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Samples a run every second on a platform thread of its own (reading {@code /proc} is blocking
 * file I/O): the harness's open streams, events and errors so far, and, given a pid, that process's
 * {@link ProcessSample}; prints a progress line every five seconds. Started before the first stream,
 * so the first sample is the process at rest.
 *
 * <p>Thread-safe in use: the samples are handed over by {@link #stop()}, after the thread ended.
 */
final class RunMonitor {
    static final Duration EVERY = Duration.ofSeconds(1);
    static final int PROGRESS_EVERY = 5;

    /**
     * One sample.
     *
     * @param seconds since the run started
     * @param open    streams connected and not ended
     * @param process the sampled process, when there is one and it could be read
     */
    record Sample(double seconds, long open, long events, long errors, Optional<ProcessSample> process) {}

    private final Optional<Long> pid;
    private final StreamTally tally;
    private final PrintStream progress;
    private final long start;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;

    private RunMonitor(Optional<Long> pid, StreamTally tally, PrintStream progress, long start) {
        this.pid = pid;
        this.tally = tally;
        this.progress = progress;
        this.start = start;
        samples.add(sample());
        this.thread = Thread.ofPlatform().daemon().name("slow-streams-monitor").unstarted(this::loop);
    }

    /** Takes the first sample now and one every second from {@code start} ({@link System#nanoTime()}). */
    static RunMonitor start(Optional<Long> pid, StreamTally tally, PrintStream progress, long start) {
        RunMonitor monitor = new RunMonitor(pid, tally, progress, start);
        monitor.thread.start();
        return monitor;
    }

    /** Stops sampling, takes a last sample and returns them all, oldest first. */
    List<Sample> stop() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join();
        samples.add(sample());
        return List.copyOf(samples);
    }

    private void loop() {
        for (long tick = 1; !stopping; tick++) {
            long wait = start + tick * EVERY.toNanos() - System.nanoTime();
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, wait));
            } catch (InterruptedException e) {
                return;
            }
            Sample sample = sample();
            samples.add(sample);
            if (tick % PROGRESS_EVERY == 0) {
                progress.println(progressLine(sample));
            }
        }
    }

    private Sample sample() {
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Sample(seconds, tally.open(), tally.events(), tally.errors(), pid.flatMap(ProcessSample::read));
    }

    private static String progressLine(Sample s) {
        String process = s.process()
                .map(p -> String.format(
                        Locale.ROOT, " | pid rss=%d MB threads=%d fds=%d", p.rssKb() / 1024, p.threads(), p.fds()))
                .orElse("");
        return String.format(
                        Locale.ROOT,
                        "slow-streams: %5.0f s  open=%d events=%d errors=%d",
                        s.seconds(),
                        s.open(),
                        s.events(),
                        s.errors())
                + process;
    }
}
