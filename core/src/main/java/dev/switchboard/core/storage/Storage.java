package dev.switchboard.core.storage;

/**
 * The storage SPI: one backend (embedded SQLite today; PostgreSQL later) behind these interfaces.
 * Opening a backend brings its schema up to date. Store methods report failures as
 * {@link StorageException}, classified once by the backend.
 */
public interface Storage extends AutoCloseable {
    KeyStore keys();

    GenerationStore generations();

    /** A short description for the start-up banner, without credentials. */
    String describe();

    @Override
    void close();
}
