package dev.switchboard.core.routing.sticky;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One node's sticky routes, in memory.
 *
 * <p>Design note. An entry lives {@value #IDLE_MINUTES} minutes after the last answer that renewed it
 * and is dropped when read after that. The map is bounded: at {@code maxEntries} a sweep removes the
 * expired entries, and while it is still full a new conversation is simply not remembered (its requests
 * are routed as usual) rather than evicting a live one. An entry is a key of two strings and a long
 * plus a slug: about 200 bytes, so the default bound of 100,000 conversations is about 20 MB at most.
 * Thread-safe.
 */
public final class LocalStickyRoutes implements StickyRoutes {
    static final long IDLE_MINUTES = 10;
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    private static final long IDLE_NANOS = IDLE_MINUTES * 60 * 1_000_000_000L;

    private final LongSupplier nanoTime;
    private final int maxEntries;
    private final ConcurrentHashMap<StickyKey, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(String endpointSlug, long lastAnswerNanos) {}

    public LocalStickyRoutes(LongSupplier nanoTime, int maxEntries) {
        this.nanoTime = nanoTime;
        this.maxEntries = maxEntries;
    }

    /** Sticky routes on the system's monotonic clock with the default bound. */
    public static LocalStickyRoutes system() {
        return new LocalStickyRoutes(System::nanoTime, DEFAULT_MAX_ENTRIES);
    }

    @Override
    public Optional<String> endpoint(StickyKey key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - entry.lastAnswerNanos() >= IDLE_NANOS) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.endpointSlug());
    }

    @Override
    public void answered(StickyKey key, String endpointSlug) {
        long now = nanoTime.getAsLong();
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            entries.values().removeIf(e -> now - e.lastAnswerNanos() >= IDLE_NANOS);
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        entries.put(key, new Entry(endpointSlug, now));
    }

    /** Conversations remembered now, expired ones not yet swept included. */
    int size() {
        return entries.size();
    }
}
