package dev.switchboard.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names and finds the copies saved of a lost database: {@code switchboard.db.recovered-20261201T120000Z}
 * beside {@code switchboard.db}. The time is UTC, in a form without colons that sorts by time.
 */
final class RecoveryCopies {
    static final String INFIX = ".recovered-";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;

    RecoveryCopies(Path file, Clock clock) {
        this.file = file.toAbsolutePath();
        this.clock = clock;
    }

    /** A name for a new copy, stamped with the current time. */
    Path next() {
        return file.resolveSibling(file.getFileName() + INFIX + stamp(clock));
    }

    /** The copies beside the file, oldest first; none when its directory does not exist. */
    List<Path> existing() {
        Path directory = file.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        String prefix = file.getFileName() + INFIX;
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** The current UTC time as {@code 20261201T120000Z}. */
    static String stamp(Clock clock) {
        return STAMP.format(clock.instant());
    }
}
