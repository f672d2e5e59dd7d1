package dev.switchboard.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.bench.soak.SoakTrends.Line;
import dev.switchboard.bench.soak.SoakTrends.Samples;
import dev.switchboard.bench.soak.SoakTrends.Trend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The soak's verdict on synthetic series: flat processes pass, leaking ones fail, noise is no leak. */
class SoakTrendsTest {
    private static final String HEADER =
            "elapsed_s,rss_mb,heap_after_gc_mb,threads,fds,tcp,requests,expected_failures,spurious_failures,inband_errors,db_mb";
    /** An hour sampled every 10 s, as the full soak does. */
    private static final int HOUR_SAMPLES = 361;
    /** The default warm-up of an hour's run: its first 20 %. */
    private static final double HOUR_WARMUP = 720;

    @Test
    void fitsTheLeastSquaresLine() {
        Line line = Line.fit(new double[] {0, 1, 2, 3}, new double[] {1, 3, 5, 7});

        assertThat(line.slope()).isCloseTo(2, within(1e-12));
        assertThat(line.intercept()).isCloseTo(1, within(1e-12));
        assertThat(line.mean()).isCloseTo(4, within(1e-12));
        assertThat(line.growth()).isCloseTo(6, within(1e-12));
    }

    @Test
    void fitsThroughNoiseToTheUnderlyingSlope() {
        double[] x = new double[1000];
        double[] y = new double[1000];
        Random random = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = 50 + 0.25 * i + random.nextGaussian();
        }

        assertThat(Line.fit(x, y).slope()).isCloseTo(0.25, within(0.005));
    }

    @Test
    void refusesALineThatPointsCannotDetermine() {
        assertThatThrownBy(() -> Line.fit(new double[] {5, 5, 5}, new double[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Line.fit(new double[] {1}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passesAFlatProcessWithRealisticNoise() {
        Samples samples = hour(t ->
                row(t, 260 + noise(t, 6), 41 + noise(t, 3), 32 + noise(t, 1), 135 + noise(t, 4), 38 + noise(t, 4)));

        List<Trend> trends = judge(samples, HOUR_WARMUP);

        assertThat(trends).hasSize(5).noneMatch(Trend::rising).allMatch(Trend::judged);
    }

    @Test
    void passesAFlatProcessWhoseWarmUpClimbs() {
        // RSS and heap climb for the first minutes (heap expanding to -Xmx, the JIT filling its code
        // cache), then level off: the warm-up is left out of the fit.
        Samples samples = hour(t -> row(t, 150 + 110 * Math.min(1, t / 600.0) + noise(t, 3), 41, 32, 135, 38));

        assertThat(judge(samples, HOUR_WARMUP)).noneMatch(Trend::rising);
    }

    @Test
    void failsAProcessWhoseHeapLeaks() {
        // 20 MB an hour on a 41 MB live set: the line rises by about 16 MB over the 48 judged minutes.
        Samples samples = hour(t -> row(t, 260, 41 + 20 * t / 3600.0 + noise(t, 3), 32, 135, 38));

        assertThat(rising(judge(samples, HOUR_WARMUP))).containsExactly("heap_after_gc_mb");
    }

    @Test
    void failsAProcessThatLeaksASocketPerCancelledStream() {
        // Two cancellations a second, one leaked socket (and its fd) each.
        Samples samples = hour(t -> row(t, 260, 41, 32, 135 + 2 * t, 38 + 2 * t));

        assertThat(rising(judge(samples, HOUR_WARMUP))).containsExactly("fds", "tcp");
    }

    @Test
    void failsAProcessThatLeaksAThreadEveryMinute() {
        Samples samples = hour(t -> row(t, 260, 41, 32 + t / 60, 135, 38));

        assertThat(rising(judge(samples, HOUR_WARMUP))).containsExactly("threads");
    }

    @Test
    void failsAnRssCreepBeyondFivePercentOfItsMean() {
        // 30 MB an hour on 260 MB: 24 MB over the window, above both 5 % of the mean (13 MB) and the floor.
        Samples samples = hour(t -> row(t, 260 + 30 * t / 3600.0 + noise(t, 4), 41, 32, 135, 38));

        assertThat(rising(judge(samples, HOUR_WARMUP))).containsExactly("rss_mb");
    }

    @Test
    void passesAStepBelowTheFloorEvenWhenItExceedsFivePercent() {
        // A pool that starts its threads late: 5 threads more in mid-window is more than 5 % of 32, and
        // the line through the step rises by about 1.5 times as much, yet it is a step, not a leak.
        Samples samples = hour(t -> row(t, 260, 41, t < 2000 ? 32 : 37, 135, 38));

        assertThat(judge(samples, HOUR_WARMUP)).noneMatch(Trend::rising);
    }

    @Test
    void leavesMemoryUnjudgedOverAWindowTooShortForIt() {
        // The short form: 30 s sampled every 2 s, RSS still climbing as the JVM warms up.
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int t = 0; t <= 30; t += 2) {
            lines.add(row(t, 200 + 2 * t, 41 + t, 32, 135, 38));
        }

        List<Trend> trends = judge(Samples.parse(lines), 6);

        assertThat(trends)
                .filteredOn(t -> !t.judged())
                .extracting(t -> t.limit().column())
                .containsExactly("rss_mb", "heap_after_gc_mb");
        assertThat(trends).noneMatch(Trend::rising);
    }

    @Test
    void judgesSocketsEvenOverAShortWindow() {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int t = 0; t <= 30; t += 2) {
            lines.add(row(t, 260, 41, 32, 135 + 3 * t, 38 + 3 * t));
        }

        assertThat(rising(judge(Samples.parse(lines), 6))).containsExactly("fds", "tcp");
    }

    @Test
    void skipsValuesNotKnownYet() {
        Samples samples =
                Samples.parse(List.of("elapsed_s,heap_after_gc_mb", "0,NA", "10,NA", "20,40", "30,40", "40,40"));

        assertThat(samples.fit("heap_after_gc_mb", 0).orElseThrow().points()).isEqualTo(3);
        assertThat(samples.fit("heap_after_gc_mb", 25)).isEmpty();
    }

    @Test
    void refusesSamplesItCannotJudge() {
        Samples tooFew = Samples.parse(List.of(HEADER, row(0, 1, 1, 1, 1, 1), row(10, 1, 1, 1, 1, 1)));

        assertThatThrownBy(() -> SoakTrends.judge(tooFew, 0, SoakTrends.LIMITS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rss_mb");
        assertThatThrownBy(() -> Samples.parse(List.of(HEADER, "0,1,2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fields");
    }

    @Test
    void tablesEverySeriesWithItsSlopePerHourAndVerdict() {
        Samples samples = hour(t -> row(t, 260, 41 + 20 * t / 3600.0, 32, 135, 38));

        String table = SoakTrends.table(samples, HOUR_WARMUP, judge(samples, HOUR_WARMUP));

        assertThat(table)
                .contains("| heap_after_gc_mb | ")
                .contains("+20.0 MB")
                .contains("RISING")
                .contains("| requests | ")
                .contains("not judged");
    }

    private static List<Trend> judge(Samples samples, double warmup) {
        return SoakTrends.judge(samples, warmup, SoakTrends.LIMITS);
    }

    private static List<String> rising(List<Trend> trends) {
        return trends.stream()
                .filter(Trend::rising)
                .map(t -> t.limit().column())
                .toList();
    }

    private static Samples hour(IntFunction<String> rowAt) {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int i = 0; i < HOUR_SAMPLES; i++) {
            lines.add(rowAt.apply(i * 10));
        }
        return Samples.parse(lines);
    }

    private static String row(int t, double rss, double heap, double threads, double fds, double tcp) {
        return String.format(
                Locale.ROOT,
                "%d,%.1f,%.1f,%.0f,%.0f,%.0f,%d,%d,0,%d,%.1f",
                t,
                rss,
                heap,
                threads,
                fds,
                tcp,
                t * 10_000L,
                t * 50L,
                t * 5L,
                t * 0.5);
    }

    /** Deterministic noise in [-amplitude, amplitude], different for each sample time. */
    private static double noise(int t, double amplitude) {
        return amplitude * (new Random(t).nextDouble() * 2 - 1);
    }
}
