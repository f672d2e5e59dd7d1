package dev.switchboard.bench;

import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.storage.KeyStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A key store in a map, for benchmarks of the registry's in-memory path. Thread-safe. */
final class MemoryKeyStore implements KeyStore {
    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    @Override
    public void insert(ApiKey key) {
        keys.put(key.hash(), key);
    }

    @Override
    public Optional<ApiKey> find(String hash) {
        return Optional.ofNullable(keys.get(hash));
    }

    @Override
    public List<ApiKey> all() {
        return keys.values().stream()
                .sorted(Comparator.comparing(ApiKey::createdAt))
                .toList();
    }

    @Override
    public boolean update(ApiKey key) {
        return keys.replace(key.hash(), key) != null;
    }

    @Override
    public boolean delete(String hash) {
        return keys.remove(hash) != null;
    }
}
