package dev.switchboard.core.keys;

import dev.switchboard.core.storage.KeyStore;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link KeyStore} in memory for tests of core: a real implementation of the SPI, with a unique hash like a primary key. */
final class InMemoryKeyStore implements KeyStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ApiKey> keys = new LinkedHashMap<>();

    @Override
    public void insert(ApiKey key) {
        lock.lock();
        try {
            if (keys.putIfAbsent(key.hash(), key) != null) {
                throw new IllegalStateException("duplicate key " + key.hash());
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<ApiKey> find(String hash) {
        lock.lock();
        try {
            return Optional.ofNullable(keys.get(hash));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ApiKey> all() {
        lock.lock();
        try {
            return keys.values().stream()
                    .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::hash))
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean update(ApiKey key) {
        lock.lock();
        try {
            return keys.replace(key.hash(), key) != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean delete(String hash) {
        lock.lock();
        try {
            return keys.remove(hash) != null;
        } finally {
            lock.unlock();
        }
    }
}
