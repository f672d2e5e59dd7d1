package dev.switchboard.core.preset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.storage.Page;
import dev.switchboard.core.storage.PresetStore;
import dev.switchboard.core.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Presets: their versions written to the {@link PresetStore}, and their designated versions cached for
 * requests.
 *
 * <p>Design note. A request that names a preset must not pay a database read, so {@link #active} answers
 * from a cache of slugs, which holds misses as well as presets (a client repeating an unknown slug costs
 * one read, not one per request). The cache is bounded ({@value #MAX_CACHED} slugs; when it is full an
 * arbitrary entry makes room), since slugs come from clients. Every write goes through this class, which
 * puts the new designated version in the cache once the store has committed it (unless a concurrent
 * write already put a higher version there), so on one node the cache is never stale. A read that loads a slug while a write is under way must not put back what it read
 * before the write: each write counts itself under a lock, and a load stores its result only when no
 * write was counted since it began. Several nodes sharing a database would need the invalidation that
 * the multi-node work brings.
 *
 * <p>Thread-safe. Management reads ({@link #find}, {@link #list}, {@link #versions}) go to the store.
 */
public final class PresetRegistry {
    /** The most a version may hold: its configuration as JSON and its system prompt, in UTF-8 bytes. */
    public static final int MAX_VERSION_BYTES = 64 * 1024;

    static final int MAX_CACHED = 1024;

    private final PresetStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Lookup> cache = new ConcurrentHashMap<>();
    private final ReentrantLock cacheWrites = new ReentrantLock();
    private final AtomicLong writes = new AtomicLong();

    /** One slug's cached answer: its designated version, or null for no such preset. */
    private record Lookup(@Nullable ActivePreset preset) {}

    /**
     * A registry over {@code store}.
     *
     * @param json reads stored configurations; the process's mapper, so that numbers keep their exact values
     */
    public PresetRegistry(PresetStore store, ObjectMapper json, Clock clock) {
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Adds a version to the preset {@code slug}, creating the preset when it is new, and makes it the one
     * requests use.
     *
     * @param creatorId the hash of the management key that asked
     * @throws GatewayException 400 for a slug that is not valid; 413 for a version over {@value #MAX_VERSION_BYTES} bytes
     */
    public DesignatedPreset addVersion(String slug, PresetConfig content, String creatorId) {
        PresetSlug.check(slug, "slug");
        String config = text(content.config());
        checkSize(config, content.systemPrompt());
        DesignatedPreset added = store.addVersion(new NewPresetVersion(
                slug,
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                content.systemPrompt(),
                config,
                creatorId,
                clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        ActivePreset active = activate(added);
        cacheWrites.lock();
        try {
            writes.incrementAndGet();
            Lookup cached = cache.get(slug);
            ActivePreset current = cached == null ? null : cached.preset();
            // two writers of one slug may get here in either order; the higher version is the designated one
            if (current == null || current.version() < active.version()) {
                makeRoom();
                cache.put(slug, new Lookup(active));
            }
        } finally {
            cacheWrites.unlock();
        }
        return added;
    }

    /** The designated version of the preset {@code slug}, from the cache; empty when there is no such preset. */
    public Optional<ActivePreset> active(String slug) {
        Lookup cached = cache.get(slug);
        if (cached != null) {
            return Optional.ofNullable(cached.preset());
        }
        long seen = writes.get();
        Lookup loaded = new Lookup(store.find(slug).map(this::activate).orElse(null));
        cacheWrites.lock();
        try {
            if (writes.get() == seen) {
                makeRoom();
                cache.putIfAbsent(slug, loaded);
            }
        } finally {
            cacheWrites.unlock();
        }
        return Optional.ofNullable(loaded.preset());
    }

    public Optional<DesignatedPreset> find(String slug) {
        return store.find(slug);
    }

    public Page<Preset> list(int offset, int limit) {
        return store.list(offset, limit);
    }

    /** The versions of the preset {@code slug}, oldest first; empty when there is no such preset. */
    public Optional<Page<PresetVersion>> versions(String slug, int offset, int limit) {
        return store.find(slug).map(p -> store.versions(p.preset().id(), offset, limit));
    }

    public Optional<PresetVersion> version(String slug, int number) {
        return store.find(slug).flatMap(p -> store.version(p.preset().id(), number));
    }

    /** A stored configuration as a JSON object. */
    public ObjectNode config(PresetVersion version) {
        JsonNode config;
        try {
            config = json.readTree(version.config());
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
        if (config instanceof ObjectNode object) {
            return object;
        }
        throw unreadable(new IllegalStateException("a JSON " + config.getNodeType()));
    }

    private String text(ObjectNode config) {
        try {
            return json.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private ActivePreset activate(DesignatedPreset designated) {
        PresetVersion version = designated.version();
        return new ActivePreset(
                designated.preset().id(),
                designated.preset().slug(),
                version.number(),
                version.systemPrompt(),
                config(version));
    }

    private void checkSize(String config, Optional<String> systemPrompt) {
        long configBytes = config.getBytes(StandardCharsets.UTF_8).length;
        long bytes = configBytes
                + systemPrompt
                        .map(p -> p.getBytes(StandardCharsets.UTF_8).length)
                        .orElse(0);
        if (bytes > MAX_VERSION_BYTES) {
            throw new GatewayException(
                    ErrorType.PAYLOAD_TOO_LARGE,
                    "A preset's configuration and system prompt may take up to " + MAX_VERSION_BYTES
                            + " bytes; this one takes " + bytes,
                    Map.of("max_bytes", MAX_VERSION_BYTES));
        }
    }

    /** How many slugs the cache holds now. */
    int cachedSlugs() {
        return cache.size();
    }

    /** Drops an arbitrary entry when the cache is full; called with {@link #cacheWrites} held. */
    private void makeRoom() {
        if (cache.size() >= MAX_CACHED) {
            Iterator<String> any = cache.keySet().iterator();
            if (any.hasNext()) {
                cache.remove(any.next());
            }
        }
    }

    private static StorageException unreadable(Exception cause) {
        return new StorageException(
                StorageException.Reason.FAILED, "a stored preset configuration is not a JSON object", cause);
    }
}
