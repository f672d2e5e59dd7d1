package dev.switchboard.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where values of a configuration tree really came from, when that is not the file they sit in: an
 * environment variable or a command-line option written over them, and {@code ${VAR}} references in
 * them that were unset. Keyed by source and dotted path, so that a problem found later at that path
 * can name its true origin. Used by one loader on one thread.
 */
final class Provenance {
    private final Map<String, String> origins = new HashMap<>();
    private final Map<String, List<String>> unset = new HashMap<>();

    /** The value at {@code path} of {@code source} was replaced from {@code origin} (its references no longer apply). */
    void overridden(String source, String path, String origin) {
        origins.put(key(source, path), origin);
        unset.remove(key(source, path));
    }

    /** The string at {@code path} of {@code source} referenced these unset variables. */
    void unsetReferences(String source, String path, List<String> variables) {
        unset.put(key(source, path), List.copyOf(variables));
    }

    /** What to name as the source of the value at {@code path}: the override's origin, else {@code source}. */
    String origin(String source, String path) {
        return origins.getOrDefault(key(source, path), source);
    }

    /** The unset variables the value at {@code path} referenced; empty when none. */
    List<String> unsetReferences(String source, String path) {
        return unset.getOrDefault(key(source, path), List.of());
    }

    private static String key(String source, String path) {
        return source + "\u0000" + path;
    }
}
