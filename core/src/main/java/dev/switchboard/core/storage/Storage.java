package dev.switchboard.core.storage;

import java.util.Optional;

/**
 * The storage SPI: one backend (embedded SQLite today; PostgreSQL later) behind these interfaces,
 * opened by a {@link StorageFactory} from the scheme of a storage URL. Opening a backend brings its
 * schema up to date. Store methods report failures as {@link StorageException}, classified once by the
 * backend. Every backend passes the same contract test suite.
 */
public interface Storage extends AutoCloseable {
    KeyStore keys();

    GenerationStore generations();

    PresetStore presets();

    CreditStore credits();

    IoLogStore ioLogs();

    /** The workspaces' own provider keys (BYOK), sealed. */
    ByokStore byokKeys();

    /** The aggregates reports read, kept up with the generation records. */
    ReportStore reports();

    /** A short description for the start-up banner, without credentials. */
    String describe();

    /**
     * Checks that the storage is still the one that was opened (for a file, that it is still at its
     * path) and returns what is wrong, if anything. Cheap enough to call on every health check; never
     * throws. Thread-safe.
     */
    Optional<StorageProblem> problem();

    @Override
    void close();
}
