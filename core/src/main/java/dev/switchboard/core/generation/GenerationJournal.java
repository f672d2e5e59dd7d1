package dev.switchboard.core.generation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * An append-only file of generation records, written before a response's last byte so that a crash
 * cannot lose the record of a response the client has, and read back at the next start.
 *
 * <p>Design note. The database stores records in batches, off the request path. A response must not
 * be complete before its record is durable, and waiting for a database commit would add a transaction
 * to every response (about 0.2 ms with SQLite; docs/PERFORMANCE.md has the measurement). Appending to
 * a file is one {@code write} of some 600 bytes. The journal is made of segment files
 * ({@code generations-<n>.journal}); each entry is {@code [length: int][CRC-32C of the payload: int]
 * [payload: the record as JSON]}. Appends are serialised by a lock and each entry is written whole
 * by one positional write, so entries never interleave. Nothing is {@code fsync}ed: a written entry
 * is in the kernel's page cache and survives the process being killed, the same promise SQLite makes
 * in WAL mode with {@code synchronous=NORMAL}; a power loss may lose the last entries of both.
 *
 * <p>When the current segment reaches {@link #segmentBytes} a new one is started. Each segment counts
 * the entries not yet stored in the database; once a segment is no longer current and its count is
 * zero, its file is deleted. So after a graceful stop, when every record has been stored, no segment
 * remains. At start, {@link #recover} reads what earlier runs left (only after a crash, or a stop while
 * the database was failing) and hands it to the generation log to store again; the stores ignore ids
 * they already have, so a record stored before the crash is not stored or counted twice. A segment may
 * end in a torn entry (the process died inside a write, or the disk filled up): its length or checksum
 * does not match, and reading that segment stops there. After a failed write the journal starts a new
 * segment, so that a torn entry is only ever the last of its segment.
 *
 * <p>One process at a time: the directory is locked ({@code journal.lock}) for as long as the journal
 * is open, and a second gateway on the same data directory is refused at start.
 *
 * <p>Thread-safe.
 */
public final class GenerationJournal implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GenerationJournal.class.getName());
    private static final Pattern SEGMENT = Pattern.compile("generations-(\\d{12})\\.journal");
    private static final int HEADER_BYTES = 8;
    /** Larger entries are taken for damage when read back; a record is a few hundred bytes. */
    static final int MAX_ENTRY_BYTES = 1 << 20;
    /** 16 MiB: some 25,000 records. */
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;

    private final Path directory;
    private final long segmentBytes;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final ReentrantLock appending = new ReentrantLock();
    private @Nullable Segment current;
    private long nextNumber;
    private boolean failing;
    private volatile boolean closed;

    /** One segment file: how many of its entries are not yet stored, and whether appends go to it. */
    public static final class Segment {
        private final Path file;
        private final AtomicInteger unstored = new AtomicInteger();
        private final FileChannel channel;
        private long size;
        private volatile boolean sealed;

        private Segment(Path file, FileChannel channel, long size) {
            this.file = file;
            this.channel = channel;
            this.size = size;
        }
    }

    /** A record read back at start, and the segment it came from. */
    public record Recovered(GenerationRecord record, Segment segment) {}

    private GenerationJournal(Path directory, long segmentBytes, FileChannel lockFile, FileLock lock, long nextNumber) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.lockFile = lockFile;
        this.lock = lock;
        this.nextNumber = nextNumber;
    }

    /**
     * Opens (creating it if need be) the journal in {@code directory}, holding its lock.
     *
     * @throws IllegalStateException when another process holds the journal
     * @throws UncheckedIOException  when the directory cannot be made or written
     */
    public static GenerationJournal open(Path directory, long segmentBytes) {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes must be at least 1024");
        }
        try {
            Files.createDirectories(directory);
            FileChannel lockFile = FileChannel.open(
                    directory.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockFile.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockFile.close();
                throw new IllegalStateException("the generation journal in " + directory
                        + " is in use by another process;" + " two gateways cannot share one data directory");
            }
            long next = 0;
            for (Path segment : segments(directory)) {
                next = Math.max(next, number(segment) + 1);
            }
            return new GenerationJournal(directory, segmentBytes, lockFile, lock, next);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the generation journal in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every entry that earlier runs left, oldest first, up to the first damaged entry of each
     * segment. Call it once, before the first {@link #append}. Each recovered record counts as not yet
     * stored in its segment until {@link #stored} is called for it.
     */
    public List<Recovered> recover() {
        List<Recovered> recovered = new ArrayList<>();
        try {
            for (Path file : segments(directory)) {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                Segment segment = new Segment(file, channel, channel.size());
                int damagedAt = readEntries(segment, recovered);
                if (damagedAt >= 0) {
                    LOG.log(
                            Level.WARNING,
                            "The generation journal " + file.getFileName() + " ends in a damaged entry at byte "
                                    + damagedAt + " of " + segment.size
                                    + " (the process stopped while writing it, or the disk was"
                                    + " full); the entries before it are recovered.");
                }
                seal(segment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the generation journal in " + directory + ": " + e.getMessage(), e);
        }
        return recovered;
    }

    /** Adds the entries of a segment to {@code out}; the offset of the first damaged entry, or -1. */
    private static int readEntries(Segment segment, List<Recovered> out) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(Math.toIntExact(segment.size));
        while (content.hasRemaining() && segment.channel.read(content, content.position()) >= 0) {
            // read the whole file
        }
        content.flip();
        CRC32C crc = new CRC32C();
        while (content.remaining() > 0) {
            int start = content.position();
            if (content.remaining() < HEADER_BYTES) {
                return start;
            }
            int length = content.getInt();
            int checksum = content.getInt();
            if (length <= 0 || length > MAX_ENTRY_BYTES || length > content.remaining()) {
                return start;
            }
            byte[] payload = new byte[length];
            content.get(payload);
            crc.reset();
            crc.update(payload);
            if ((int) crc.getValue() != checksum) {
                return start;
            }
            try {
                out.add(new Recovered(GenerationRecordJson.read(payload), segment));
                segment.unstored.incrementAndGet();
            } catch (IOException e) {
                return start;
            }
        }
        return -1;
    }

    /**
     * Appends a record and returns its segment, to be handed to {@link #stored} once the database has
     * it. Returns null when the write failed (a full disk, say): the record is then not durable until
     * the database stores it; the failure is logged once, and a later append that works says so.
     */
    public @Nullable Segment append(GenerationRecord record) {
        ByteBuffer entry = EntryBytes.of(record);
        appending.lock();
        try {
            if (closed) {
                return null;
            }
            Segment segment = writable();
            long position = segment.size;
            while (entry.hasRemaining()) {
                position += segment.channel.write(entry, position);
            }
            segment.size = position;
            segment.unstored.incrementAndGet();
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, "The generation journal in " + directory + " is written again.");
            }
            return segment;
        } catch (IOException e) {
            failed(e);
            return null;
        } finally {
            appending.unlock();
        }
    }

    /** The current segment, a new one when there is none or it is full. Under the append lock. */
    private Segment writable() throws IOException {
        if (current != null && current.size >= segmentBytes) {
            Segment full = current;
            current = null;
            seal(full);
        }
        if (current == null) {
            Path file = directory.resolve(String.format("generations-%012d.journal", nextNumber++));
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
            current = new Segment(file, channel, 0);
        }
        return current;
    }

    /** After a failed write the segment may end in a torn entry: appends go to a new one. Under the append lock. */
    private void failed(IOException e) {
        if (!failing) {
            failing = true;
            LOG.log(
                    Level.ERROR,
                    "Writing the generation journal in " + directory + " failed (" + e.getMessage() + "):"
                            + " records of finished responses are not durable until the database stores them.");
        }
        if (current != null) {
            Segment torn = current;
            current = null;
            seal(torn);
        }
    }

    /** One record of {@code segment} is stored in the database. Deletes the segment once all of its are. */
    public void stored(Segment segment) {
        if (segment.unstored.decrementAndGet() == 0 && segment.sealed) {
            delete(segment);
        }
    }

    /** No more appends go to {@code segment}: its file is closed, and deleted now if every record of it is stored. */
    private void seal(Segment segment) {
        try {
            segment.channel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot close the generation journal " + segment.file + ": " + e.getMessage());
        }
        segment.sealed = true;
        if (segment.unstored.get() == 0) {
            delete(segment);
        }
    }

    /** Deletes a segment whose records are all stored (possibly twice, when sealing and storing race: harmless). */
    private void delete(Segment segment) {
        try {
            Files.deleteIfExists(segment.file);
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "Cannot delete the stored generation journal " + segment.file + ": " + e.getMessage());
        }
    }

    /** The segment files in {@code directory}, oldest first. */
    private static List<Path> segments(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "generations-*.journal")) {
            for (Path file : entries) {
                if (SEGMENT.matcher(file.getFileName().toString()).matches()) {
                    files.add(file);
                }
            }
        }
        files.sort((a, b) -> Long.compare(number(a), number(b)));
        return files;
    }

    private static long number(Path segment) {
        Matcher m = SEGMENT.matcher(segment.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(segment.toString());
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Stops appending and releases the directory. The current segment is deleted if every record in it
     * is stored; segments with records not yet stored are kept for the next start.
     */
    @Override
    public void close() {
        appending.lock();
        try {
            closed = true;
            if (current != null) {
                Segment last = current;
                current = null;
                seal(last);
            }
        } finally {
            appending.unlock();
        }
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot release the generation journal's lock: " + e.getMessage());
        }
    }

    /**
     * An entry's bytes, written in one array: room for the header, the record's JSON after it, then the
     * header filled in. One array the size of a usual record, where writing the JSON, copying it out and
     * copying it again behind a header allocated three.
     */
    private static final class EntryBytes extends ByteArrayOutputStream {
        private EntryBytes() {
            super(1024);
        }

        static ByteBuffer of(GenerationRecord record) {
            EntryBytes bytes = new EntryBytes();
            bytes.write(new byte[HEADER_BYTES], 0, HEADER_BYTES);
            GenerationRecordJson.write(record, bytes);
            int length = bytes.count - HEADER_BYTES;
            CRC32C crc = new CRC32C();
            crc.update(bytes.buf, HEADER_BYTES, length);
            return ByteBuffer.wrap(bytes.buf, 0, bytes.count).putInt(0, length).putInt(Integer.BYTES, (int)
                    crc.getValue());
        }
    }
}
