package dev.switchboard.core.byok;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The master keys BYOK secrets are sealed with: the current one, which seals, and previous ones, which
 * only open what they sealed until it is sealed again with the current one (rotation).
 *
 * <p>Where the current key comes from, first match wins: {@code byok.master_key}
 * ({@code SWITCHBOARD_BYOK_MASTER_KEY}); the file {@code byok.master_key_file}, which must exist; else the
 * file {@value #DEFAULT_FILE} in the data directory, created (mode 0600, a fresh random key) the first
 * time a secret is sealed, and never while sealed secrets exist without it. A key read from a file is
 * read once, at start.
 *
 * <p>Thread-safe.
 */
public final class MasterKeys {
    public static final String DEFAULT_FILE = "byok-master.key";

    private final List<MasterKey> previous;
    private final @Nullable Path createdOnFirstUse;
    private final String source;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile @Nullable MasterKey current;

    private MasterKeys(
            @Nullable MasterKey current, List<MasterKey> previous, @Nullable Path createdOnFirstUse, String source) {
        this.current = current;
        this.previous = List.copyOf(previous);
        this.createdOnFirstUse = createdOnFirstUse;
        this.source = source;
    }

    /** Keys given directly: {@code current} seals, {@code previous} open what they sealed. */
    public static MasterKeys of(MasterKey current, List<MasterKey> previous) {
        return new MasterKeys(current, previous, null, "the configured master key");
    }

    /**
     * The keys as the configuration gives them.
     *
     * @param configured the base64 key of {@code byok.master_key}, when set
     * @param file       {@code byok.master_key_file}, when set
     * @param dataDir    where the default key file is
     * @throws IllegalStateException when a configured key file cannot be read or holds no key; the message is
     *         one line that names the file and never quotes it
     */
    public static MasterKeys load(
            Optional<String> configured, Optional<Path> file, List<String> previous, Path dataDir) {
        List<MasterKey> earlier = new ArrayList<>(previous.size());
        previous.forEach(text -> earlier.add(MasterKey.parse(text)));
        if (configured.isPresent()) {
            return new MasterKeys(
                    MasterKey.parse(configured.get()), earlier, null, "byok.master_key (SWITCHBOARD_BYOK_MASTER_KEY)");
        }
        if (file.isPresent()) {
            if (!Files.exists(file.get())) {
                throw new IllegalStateException("the BYOK master key file " + file.get()
                        + " (byok.master_key_file) does not exist; write the base64 of 32 random bytes to it"
                        + " (openssl rand -base64 32) or leave byok.master_key_file unset");
            }
            return new MasterKeys(read(file.get()), earlier, null, "the master key file " + file.get());
        }
        Path defaultFile = dataDir.resolve(DEFAULT_FILE);
        if (Files.exists(defaultFile)) {
            return new MasterKeys(read(defaultFile), earlier, null, "the master key file " + defaultFile);
        }
        return new MasterKeys(null, earlier, defaultFile, "the master key file " + defaultFile);
    }

    /** The key that seals; when it comes from the default file and there is none yet, a new one is made there. */
    public MasterKey current() {
        MasterKey key = current;
        if (key != null) {
            return key;
        }
        lock.lock();
        try {
            if (current == null) {
                current = create(java.util.Objects.requireNonNull(createdOnFirstUse));
            }
            return java.util.Objects.requireNonNull(current);
        } finally {
            lock.unlock();
        }
    }

    /** The key with this id: the current one (not made for this) or a previous one. */
    public Optional<MasterKey> find(String id) {
        MasterKey key = current;
        if (key != null && key.id().equals(id)) {
            return Optional.of(key);
        }
        return previous.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /** Whether {@code id} is the current key's (false while the current key is still to be made). */
    public boolean isCurrent(String id) {
        MasterKey key = current;
        return key != null && key.id().equals(id);
    }

    /** Where the current key comes from, for messages: never the key. */
    public String source() {
        return source;
    }

    /** The current key's id, or a note that there is none yet. */
    public String describeCurrent() {
        MasterKey key = current;
        return key == null ? "none yet" : key.id();
    }

    private static MasterKey read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the BYOK master key file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        try {
            return MasterKey.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the BYOK master key file " + file + " " + MasterKey.NOT_A_KEY);
        }
    }

    private static MasterKey create(Path file) {
        MasterKey key = MasterKey.generate(new SecureRandom());
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, key.encoded() + "\n", StandardCharsets.US_ASCII);
            return key;
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the BYOK master key file " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }
}
