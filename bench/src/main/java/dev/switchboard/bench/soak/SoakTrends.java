package dev.switchboard.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The soak's verdict on its samples: whether each resource of the gateway process stays flat after the
 * warm-up. {@code scripts/soak.sh} runs it from source (no build of this module needed):
 * {@code java SoakTrends.java samples.csv WARMUP_SECONDS [trend.md]}; it prints the table, writes it as
 * Markdown when asked, and exits 1 when a series rises, 2 when the samples cannot be judged.
 *
 * <p>Design note. Each judged series gets a least-squares line over the samples taken after the warm-up;
 * its growth is the slope times the length of that window, i.e. how much the line says the series rose
 * while it was watched. A series is rising when that growth exceeds both a share of its mean (5 %) and an
 * absolute floor of its own. The share scales with the process (a 5 % rise of a 250 MB RSS in an hour is
 * a trend worth a look, whatever the size). The floor stops a flat process from failing on what it does
 * at this scale without leaking: RSS moves by a few MB as G1 commits regions and glibc grows its arenas;
 * heap after a collection moves with the phase of the collection cycle (young collections leave
 * promoted garbage until a mixed one clears it); threads come and go with the JIT's compiler threads
 * and the carrier pool, and a pool that starts its thread late is a step, not a leak (the line through
 * a step of h in mid-window rises by up to 1.5 h); file descriptors and sockets move with the
 * connections in flight at the sampling instant. A leak passes the floor quickly under the soak's load:
 * a socket leaked per cancelled stream (two a second) passes 16 in 8 s; a thread leaked per key created
 * (one in 3 s) passes 8 in 24 s; 100 bytes leaked per chat request pass 8 MB in 40 s at 2,000 requests
 * a second. What the floors cannot see is a leak slower than floor / window, for a 48-minute window
 * e.g. 10 MB of heap an hour: the 60-minute run is for leaks at or above that rate, and the CSV and the
 * plot are there for a closer look. Memory is judged only over a window of
 * {@value #MEMORY_WINDOW_SECONDS} s or more, because a JVM's RSS climbs for its first minutes whatever
 * it holds; the short form in CI judges threads, descriptors and sockets.
 *
 * <p>Samples are comma-separated with a header row; the first column is the elapsed time in seconds;
 * {@code NA} marks a value not known yet (no collection has run). Stateless; thread-safe.
 */
public final class SoakTrends {
    /** The share of its mean a series may grow by, whatever its floor. */
    static final double SHARE = 0.05;

    /**
     * The shortest window over which memory is judged. A JVM's RSS climbs for its first minutes under
     * load whatever it holds (G1 commits the heap up to {@code -Xmx}, the JIT fills its code cache, glibc
     * keeps what the compiler's arenas freed), so a shorter run reports memory but does not judge it;
     * threads, file descriptors and sockets are judged over any window.
     */
    static final double MEMORY_WINDOW_SECONDS = 300;

    /** The judged series and their floors; the share is {@value #SHARE} of the mean for each. */
    public static final List<Limit> LIMITS = List.of(
            new Limit("rss_mb", "MB", SHARE, 16, MEMORY_WINDOW_SECONDS),
            new Limit("heap_after_gc_mb", "MB", SHARE, 8, MEMORY_WINDOW_SECONDS),
            new Limit("threads", "", SHARE, 8, 0),
            new Limit("fds", "", SHARE, 16, 0),
            new Limit("tcp", "", SHARE, 16, 0));

    /** Series whose slope is printed but not judged: the request rate, and the database, which must grow. */
    public static final List<String> REPORTED = List.of("requests", "db_mb");

    private static final int MIN_POINTS = 3;

    private SoakTrends() {}

    /**
     * A least-squares line {@code y = intercept + slope × x}.
     *
     * @param slope     change of y per unit of x (per second for the soak's samples)
     * @param intercept y at x = 0
     * @param mean      the mean of the y values fitted
     * @param from      the first x fitted
     * @param to        the last x fitted
     * @param points    how many points were fitted
     */
    public record Line(double slope, double intercept, double mean, double from, double to, int points) {
        /**
         * Fits a line through at least two points whose x are not all equal.
         *
         * @throws IllegalArgumentException when the arrays differ in length, or there is no such line
         */
        public static Line fit(double[] x, double[] y) {
            if (x.length != y.length || x.length < 2) {
                throw new IllegalArgumentException("need at least 2 points with an x for each y");
            }
            double meanX = average(x);
            double meanY = average(y);
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < x.length; i++) {
                sxy += (x[i] - meanX) * (y[i] - meanY);
                sxx += (x[i] - meanX) * (x[i] - meanX);
            }
            if (sxx == 0) {
                throw new IllegalArgumentException("every x is the same");
            }
            double slope = sxy / sxx;
            return new Line(slope, meanY - slope * meanX, meanY, x[0], x[x.length - 1], x.length);
        }

        /** {@return how much the line rises from the first x fitted to the last} */
        public double growth() {
            return slope * (to - from);
        }

        private static double average(double[] values) {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            return sum / values.length;
        }
    }

    /**
     * How much a series may grow over the judged window: the larger of {@code share × |mean|} and
     * {@code floor}; judged only over a window of at least {@code minWindowSeconds}.
     *
     * @param column           the CSV column
     * @param unit             printed after values, may be empty
     * @param share            fraction of the series' mean
     * @param floor            absolute amount, in the column's unit
     * @param minWindowSeconds the shortest window judged; a shorter one is reported only
     */
    public record Limit(String column, String unit, double share, double floor, double minWindowSeconds) {}

    /**
     * One series judged.
     *
     * @param limit its limit
     * @param line  the line fitted after the warm-up
     */
    public record Trend(Limit limit, Line line) {
        /** {@return the growth the limit allows over this window} */
        public double allowed() {
            return Math.max(limit.share() * Math.abs(line.mean()), limit.floor());
        }

        /** {@return whether the window was long enough for this series to be judged} */
        public boolean judged() {
            return line.to() - line.from() >= limit.minWindowSeconds();
        }

        /** {@return whether the series was judged and rose beyond what its limit allows} */
        public boolean rising() {
            return judged() && line.growth() > allowed();
        }

        /** {@return flat, RISING, or why the series was not judged} */
        public String verdict() {
            if (!judged()) {
                return String.format(Locale.ROOT, "not judged (window under %.0f s)", limit.minWindowSeconds());
            }
            return rising() ? "RISING" : "flat";
        }
    }

    /**
     * Parsed samples: the header's column names and one array per row.
     *
     * @param columns column names, the first being the elapsed seconds
     * @param rows    values, {@code NaN} where the file said {@code NA}
     */
    public record Samples(List<String> columns, List<double[]> rows) {
        public Samples {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }

        /**
         * Parses CSV lines (a header, then rows); blank lines are skipped.
         *
         * @throws IllegalArgumentException when a row has the wrong number of fields or a field is no number
         */
        public static Samples parse(List<String> lines) {
            List<String> data =
                    lines.stream().filter(l -> !l.isBlank()).map(String::strip).toList();
            if (data.isEmpty()) {
                throw new IllegalArgumentException("no header row");
            }
            List<String> columns = List.of(data.getFirst().split(",", -1));
            List<double[]> rows = new ArrayList<>();
            for (String line : data.subList(1, data.size())) {
                rows.add(row(line, columns.size()));
            }
            return new Samples(columns, rows);
        }

        private static double[] row(String line, int width) {
            String[] fields = line.split(",", -1);
            if (fields.length != width) {
                throw new IllegalArgumentException("expected " + width + " fields: " + line);
            }
            double[] values = new double[width];
            for (int i = 0; i < width; i++) {
                String f = fields[i].strip();
                try {
                    values[i] = f.equals("NA") || f.isEmpty() ? Double.NaN : Double.parseDouble(f);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number: '" + f + "' in " + line, e);
                }
            }
            return values;
        }

        /**
         * Fits the column over the rows whose elapsed time is at least {@code fromSeconds}, skipping
         * unknown values; empty when the column is absent or fewer than 3 points remain.
         */
        public Optional<Line> fit(String column, double fromSeconds) {
            int c = columns.indexOf(column);
            if (c < 0) {
                return Optional.empty();
            }
            List<double[]> points = rows.stream()
                    .filter(r -> r[0] >= fromSeconds && !Double.isNaN(r[c]))
                    .map(r -> new double[] {r[0], r[c]})
                    .toList();
            if (points.size() < MIN_POINTS || points.getFirst()[0] == points.getLast()[0]) {
                return Optional.empty();
            }
            double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
            return Optional.of(Line.fit(x, y));
        }
    }

    /**
     * Judges every limit's column after the warm-up.
     *
     * @throws IllegalArgumentException naming the first column that cannot be fitted
     */
    public static List<Trend> judge(Samples samples, double warmupSeconds, List<Limit> limits) {
        List<Trend> trends = new ArrayList<>();
        for (Limit limit : limits) {
            Line line = samples.fit(limit.column(), warmupSeconds)
                    .orElseThrow(() -> new IllegalArgumentException("fewer than " + MIN_POINTS + " samples of "
                            + limit.column() + " after the warm-up of " + warmupSeconds + " s"));
            trends.add(new Trend(limit, line));
        }
        return trends;
    }

    /** {@return the Markdown table of the trends and of the reported series, with a verdict column} */
    public static String table(Samples samples, double warmupSeconds, List<Trend> trends) {
        StringBuilder out = new StringBuilder();
        out.append("| series | mean | slope per hour | growth over the window | allowed | verdict |\n");
        out.append("|---|---:|---:|---:|---:|---|\n");
        for (Trend t : trends) {
            String unit = t.limit().unit().isEmpty() ? "" : " " + t.limit().unit();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f%s | %+.1f%s | %+.1f%s | %.1f%s | %s |%n",
                    t.limit().column(),
                    t.line().mean(),
                    unit,
                    t.line().slope() * 3600,
                    unit,
                    t.line().growth(),
                    unit,
                    t.allowed(),
                    unit,
                    t.verdict()));
        }
        for (String column : REPORTED) {
            samples.fit(column, warmupSeconds)
                    .ifPresent(line -> out.append(String.format(
                            Locale.ROOT,
                            "| %s | %.1f | %+.0f | %+.0f | - | not judged |%n",
                            column,
                            line.mean(),
                            line.slope() * 3600,
                            line.growth())));
        }
        return out.toString();
    }

    /**
     * {@code SoakTrends SAMPLES.csv WARMUP_SECONDS [TABLE.md]}: prints the table and the verdict; exit 0
     * when every series is flat, 1 when one rises, 2 when the samples cannot be judged.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: SoakTrends SAMPLES.csv WARMUP_SECONDS [TABLE.md]");
            System.exit(2);
        }
        try {
            Samples samples = Samples.parse(Files.readAllLines(Path.of(args[0])));
            double warmup = Double.parseDouble(args[1]);
            List<Trend> trends = judge(samples, warmup, LIMITS);
            String table = table(samples, warmup, trends);
            List<String> rising = trends.stream()
                    .filter(Trend::rising)
                    .map(t -> t.limit().column())
                    .toList();
            List<String> unjudged = trends.stream()
                    .filter(t -> !t.judged())
                    .map(t -> t.limit().column())
                    .toList();
            String verdict = (rising.isEmpty()
                            ? "TREND PASS: every judged series is flat after the warm-up of " + args[1] + " s"
                            : "TREND FAIL: rising after the warm-up of " + args[1] + " s: " + String.join(", ", rising))
                    + (unjudged.isEmpty() ? "" : "; not judged over so short a window: " + String.join(", ", unjudged));
            System.out.print(table);
            System.out.println(verdict);
            if (args.length == 3) {
                Files.writeString(Path.of(args[2]), table + "\n" + verdict + "\n");
            }
            System.exit(rising.isEmpty() ? 0 : 1);
        } catch (IllegalArgumentException e) {
            System.err.println("SoakTrends: " + e.getMessage());
            System.exit(2);
        }
    }
}
