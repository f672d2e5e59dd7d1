package dev.switchboard.bench.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What Linux says about a process at one moment, from {@code /proc/PID}: resident memory
 * ({@code VmRSS} of {@code status}), threads ({@code Threads}), open file descriptors (entries of
 * {@code fd/}, which needs the same user or root) and CPU time used ({@code utime + stime} of
 * {@code stat}, in clock ticks).
 *
 * @param rssKb    resident set size, KiB
 * @param threads  threads of the process (platform threads; virtual threads are not counted)
 * @param fds      open file descriptors, sockets included
 * @param cpuTicks user plus system CPU time so far, in ticks of {@link #TICKS_PER_SECOND}
 */
record ProcessSample(long rssKb, int threads, int fds, long cpuTicks) {
    /** {@code USER_HZ}: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    static final int TICKS_PER_SECOND = 100;

    private static final Pattern NUMBER = Pattern.compile("[0-9]+");

    /** Samples {@code pid}; empty when the process is gone or {@code /proc} cannot be read. */
    static Optional<ProcessSample> read(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid));
        try {
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = firstNumber(line);
                } else if (line.startsWith("Threads:")) {
                    threads = (int) firstNumber(line);
                }
            }
            return Optional.of(
                    new ProcessSample(rss, threads, fds(dir), cpuTicks(Files.readString(dir.resolve("stat")))));
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int fds(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir.resolve("fd"))) {
            return (int) entries.count();
        }
    }

    /** Fields 14 and 15 of {@code stat}, counted after the command name, which may hold spaces. */
    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long firstNumber(String line) {
        Matcher digits = NUMBER.matcher(line);
        if (!digits.find()) {
            throw new NumberFormatException("no number in " + line);
        }
        return Long.parseLong(digits.group());
    }
}
