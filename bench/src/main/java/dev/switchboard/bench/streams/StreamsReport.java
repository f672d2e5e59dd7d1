package dev.switchboard.bench.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchboard.bench.streams.RunMonitor.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The result of one run, as one flat list of named figures, in this order (times in milliseconds,
 * memory in MiB):
 * <ul>
 *   <li>{@code label target streams events_per_stream interval_ms ramp_per_second}: what was run;</li>
 *   <li>{@code started opened completed errors} and per kind {@code errors_connect errors_non_2xx
 *       errors_in_band_error errors_early_close errors_missing_done errors_missing_events
 *       errors_timeout errors_malformed}: one outcome per stream;</li>
 *   <li>{@code events content_events content_expected done_events early_events earliest_ms}: every
 *       SSE event with data; the paced content chunks and how many were asked for; {@code [DONE]}s;
 *       events that came before their schedule (recorded as delay 0; the schedule moves earlier) and
 *       the earliest of them;</li>
 *   <li>{@code delay_p50_ms delay_p90_ms delay_p99_ms delay_p999_ms delay_max_ms}: per-event delay
 *       against the schedule ({@link EventSchedule});</li>
 *   <li>{@code ttfb_p50_ms ttfb_p99_ms ttfb_max_ms first_event_p50_ms first_event_p99_ms}: from the
 *       start of connecting to the response's first byte, and to its first event;</li>
 *   <li>with a pid: {@code rss_start_mb rss_peak_mb threads_peak fds_peak cpu_pct} (CPU over the
 *       whole run, 100 = one core);</li>
 *   <li>{@code wall_s harness_cpu_s harness_gc_count harness_gc_ms}.</li>
 * </ul>
 * Written as {@code LABEL.json} (one object), {@code LABEL.tsv} (a header line and a value line)
 * and {@code LABEL-samples.tsv} (one line a second), and summed up in one line for a terminal.
 */
final class StreamsReport {
    private final Map<String, Object> figures;
    private final List<Sample> samples;

    private StreamsReport(Map<String, Object> figures, List<Sample> samples) {
        this.figures = Collections.unmodifiableMap(figures);
        this.samples = List.copyOf(samples);
    }

    static StreamsReport of(
            StreamsOptions options, StreamTally tally, List<Sample> samples, double wallSeconds, HarnessCost harness) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("label", options.label());
        f.put("target", options.baseUrl().toString());
        f.put("streams", options.streams());
        f.put("events_per_stream", options.events());
        f.put("interval_ms", options.intervalMs());
        f.put("ramp_per_second", options.rampPerSecond());
        outcomes(f, tally);
        events(f, tally, options);
        latencies(f, "delay", tally.delays(), true);
        latencies(f, "ttfb", tally.timesToFirstByte(), false);
        f.put("first_event_p50_ms", millis(tally.timesToFirstEvent().getValueAtPercentile(50)));
        f.put("first_event_p99_ms", millis(tally.timesToFirstEvent().getValueAtPercentile(99)));
        process(f, samples);
        f.put("wall_s", round(wallSeconds, 1));
        f.put("harness_cpu_s", round(harness.cpuSeconds(), 1));
        f.put("harness_gc_count", harness.gcCount());
        f.put("harness_gc_ms", harness.gcMillis());
        return new StreamsReport(f, samples);
    }

    private static void outcomes(Map<String, Object> f, StreamTally tally) {
        f.put("started", tally.started());
        f.put("opened", tally.opened());
        f.put("completed", tally.count(StreamOutcome.COMPLETED));
        f.put("errors", tally.errors());
        for (StreamOutcome outcome : StreamOutcome.values()) {
            if (outcome.failed()) {
                f.put("errors_" + outcome.key(), tally.count(outcome));
            }
        }
    }

    private static void events(Map<String, Object> f, StreamTally tally, StreamsOptions options) {
        f.put("events", tally.events());
        f.put("content_events", tally.contentEvents());
        f.put("content_expected", (long) options.streams() * options.events());
        f.put("done_events", tally.doneEvents());
        f.put("early_events", tally.earlyEvents());
        f.put("earliest_ms", round(tally.earliestNanos() / 1e6, 3));
    }

    private static void latencies(Map<String, Object> f, String name, Histogram h, boolean tail) {
        f.put(name + "_p50_ms", millis(h.getValueAtPercentile(50)));
        if (tail) {
            f.put(name + "_p90_ms", millis(h.getValueAtPercentile(90)));
        }
        f.put(name + "_p99_ms", millis(h.getValueAtPercentile(99)));
        if (tail) {
            f.put(name + "_p999_ms", millis(h.getValueAtPercentile(99.9)));
        }
        f.put(name + "_max_ms", millis(h.getMaxValue()));
    }

    private static void process(Map<String, Object> f, List<Sample> samples) {
        List<ProcessSample> seen =
                samples.stream().flatMap(s -> s.process().stream()).toList();
        if (seen.isEmpty()) {
            return;
        }
        f.put("rss_start_mb", seen.getFirst().rssKb() / 1024);
        f.put("rss_peak_mb", seen.stream().mapToLong(ProcessSample::rssKb).max().orElse(0) / 1024);
        f.put(
                "threads_peak",
                seen.stream().mapToInt(ProcessSample::threads).max().orElse(0));
        f.put("fds_peak", seen.stream().mapToInt(ProcessSample::fds).max().orElse(0));
        f.put("cpu_pct", round(cpuPercent(samples), 0));
    }

    /** The sampled process's CPU over the samples that read it: 100 is one core busy. */
    private static double cpuPercent(List<Sample> samples) {
        List<Sample> read =
                samples.stream().filter(s -> s.process().isPresent()).toList();
        double seconds = read.getLast().seconds() - read.getFirst().seconds();
        long ticks = ticks(read.getLast()) - ticks(read.getFirst());
        return seconds <= 0 ? 0 : 100.0 * ticks / ProcessSample.TICKS_PER_SECOND / seconds;
    }

    private static long ticks(Sample s) {
        return s.process().map(ProcessSample::cpuTicks).orElse(0L);
    }

    /** Streams that did not complete. */
    long errors() {
        return number("errors");
    }

    /** A whole-number figure by its name; see the class comment. */
    long number(String name) {
        return figure(name).map(v -> ((Number) v).longValue()).orElseThrow(() -> new IllegalArgumentException(name));
    }

    Optional<Object> figure(String name) {
        return Optional.ofNullable(figures.get(name));
    }

    String summaryLine() {
        String errorKinds = figures.entrySet().stream()
                .filter(e -> e.getKey().startsWith("errors_"))
                .map(e -> e.getKey().substring("errors_".length()) + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        StringBuilder line = new StringBuilder("SLOW-STREAMS");
        for (String name : List.of("label", "streams", "opened", "completed", "errors")) {
            line.append(' ').append(name).append('=').append(figures.get(name));
        }
        line.append(" (").append(errorKinds).append(')');
        line.append(" events=").append(figures.get("events"));
        line.append(" content=")
                .append(figures.get("content_events"))
                .append('/')
                .append(figures.get("content_expected"));
        line.append(" done=").append(figures.get("done_events"));
        line.append(" early=").append(figures.get("early_events"));
        line.append(" earliest_ms=").append(figures.get("earliest_ms"));
        line.append(" delay_ms p50=").append(figures.get("delay_p50_ms"));
        for (String p : List.of("p90", "p99", "p999", "max")) {
            line.append(' ').append(p).append('=').append(figures.get("delay_" + p + "_ms"));
        }
        line.append(" ttfb_ms p50=")
                .append(figures.get("ttfb_p50_ms"))
                .append(" p99=")
                .append(figures.get("ttfb_p99_ms"));
        if (figures.containsKey("rss_peak_mb")) {
            line.append(" peak rss_mb=").append(figures.get("rss_peak_mb"));
            line.append(" threads=").append(figures.get("threads_peak"));
            line.append(" fds=").append(figures.get("fds_peak"));
            line.append(" cpu_pct=").append(figures.get("cpu_pct"));
        }
        return line.append(" wall_s=").append(figures.get("wall_s")).toString();
    }

    String tsv() {
        return String.join("\t", figures.keySet()) + "\n"
                + figures.values().stream().map(String::valueOf).collect(Collectors.joining("\t")) + "\n";
    }

    String json() throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(figures) + "\n";
    }

    String samplesTsv() {
        StringBuilder out = new StringBuilder("seconds\topen\tevents\terrors\trss_mb\tthreads\tfds\tcpu_ticks\n");
        for (Sample s : samples) {
            out.append(String.format(Locale.ROOT, "%.1f\t%d\t%d\t%d", s.seconds(), s.open(), s.events(), s.errors()));
            out.append(s.process()
                    .map(p -> String.format(
                            Locale.ROOT, "\t%.1f\t%d\t%d\t%d", p.rssKb() / 1024.0, p.threads(), p.fds(), p.cpuTicks()))
                    .orElse("\t-\t-\t-\t-"));
            out.append('\n');
        }
        return out.toString();
    }

    /** Writes {@code LABEL.json}, {@code LABEL.tsv} and {@code LABEL-samples.tsv} into {@code dir}. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String label = String.valueOf(figures.get("label"));
        Files.writeString(dir.resolve(label + ".json"), json());
        Files.writeString(dir.resolve(label + ".tsv"), tsv());
        Files.writeString(dir.resolve(label + "-samples.tsv"), samplesTsv());
    }

    private static double millis(long micros) {
        return round(micros / 1000.0, 3);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
