package dev.switchboard.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Refuses to begin a new database where an earlier one was lost.
 *
 * <p>Design note. When the database file is missing, SQLite would quietly create an empty one, and
 * the gateway would print new keys as on a first start; a WAL left by the lost database would be
 * discarded (defect D7). A missing file is normal on a first start, so that alone proves nothing. But
 * a missing file beside its {@code -wal}, {@code -shm} or {@code -journal} file, or beside a copy that
 * {@link DatabaseFileWatch} saved ({@link RecoveryCopies}), means a database was deleted or moved
 * while in use. Then the start fails with one line that names what is there and the two ways on:
 * restore the data, or say {@code --allow-new-database}. With that option, the journal files are
 * renamed aside with a UTC time stamp ({@code switchboard.db-wal.stale-20261201T120000Z}), never
 * deleted, so that the new database cannot pick up a WAL of the old one; saved copies already have
 * names of their own and stay as they are.
 */
final class LeftoverFiles {
    private static final System.Logger LOG = System.getLogger(LeftoverFiles.class.getName());
    private static final List<String> JOURNAL_SUFFIXES = List.of("-wal", "-shm", "-journal");

    private final Path file;
    private final Clock clock;

    LeftoverFiles(Path file, Clock clock) {
        this.file = file.toAbsolutePath();
        this.clock = clock;
    }

    /**
     * Returns when a database may be opened or created at the path: the file exists, or nothing of an
     * earlier one is there, or {@code allowNewDatabase} (after moving the journal files aside).
     *
     * @throws IllegalStateException with the one-line explanation, when an earlier database was lost
     */
    void check(boolean allowNewDatabase) {
        if (Files.exists(file)) {
            return;
        }
        List<Path> journals = journals();
        List<Path> copies = new RecoveryCopies(file, clock).existing();
        if (journals.isEmpty() && copies.isEmpty()) {
            return;
        }
        if (!allowNewDatabase) {
            throw new IllegalStateException(refusal(journals, copies));
        }
        moveAside(journals);
    }

    private List<Path> journals() {
        List<Path> present = new ArrayList<>();
        for (String suffix : JOURNAL_SUFFIXES) {
            Path journal = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(journal)) {
                present.add(journal);
            }
        }
        return present;
    }

    private String refusal(List<Path> journals, List<Path> copies) {
        List<String> names = Stream.concat(journals.stream(), copies.stream())
                .map(p -> p.getFileName().toString())
                .toList();
        String keep = copies.isEmpty()
                ? "To keep its data, put the database file back"
                : "To keep its data, move the -wal, -shm and -journal files out of the directory and rename the newest copy, "
                        + copies.getLast().getFileName() + ", to " + file.getFileName();
        return "the database file " + file + " is missing, but " + file.getParent() + " holds "
                + String.join(", ", names)
                + " from an earlier database, which was deleted or moved while in use. " + keep
                + ". To start with a new,"
                + " empty database instead (new keys, no records), start once with --allow-new-database"
                + " (or SWITCHBOARD_ALLOW_NEW_DATABASE=true), which renames those files aside and deletes nothing.";
    }

    private void moveAside(List<Path> journals) {
        String stamp = RecoveryCopies.stamp(clock);
        List<String> moved = new ArrayList<>();
        for (Path journal : journals) {
            Path aside = journal.resolveSibling(journal.getFileName() + ".stale-" + stamp);
            try {
                Files.move(journal, aside);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot move " + journal + " aside to " + aside + ": " + e.getMessage(), e);
            }
            moved.add(journal.getFileName() + " -> " + aside.getFileName());
        }
        LOG.log(
                Level.WARNING,
                "Starting a new, empty database at " + file + " as --allow-new-database asks, although an"
                        + " earlier one was lost there."
                        + (moved.isEmpty() ? "" : " Moved aside: " + String.join(", ", moved) + "."));
    }
}
