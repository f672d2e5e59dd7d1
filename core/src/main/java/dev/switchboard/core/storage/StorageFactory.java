package dev.switchboard.core.storage;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Opens a {@link Storage} from a storage URL by its scheme, with the backends it was given. There is
 * no discovery: the composition root lists every backend the product ships, so the set of schemes is
 * known before anything starts and the configuration loader can check {@code storage.url} against
 * {@link #schemes()} with the rest of the configuration. Immutable and thread-safe.
 */
public final class StorageFactory {
    private final Map<String, StorageBackend> byScheme;

    private StorageFactory(Map<String, StorageBackend> byScheme) {
        this.byScheme = Collections.unmodifiableMap(byScheme);
    }

    /**
     * A factory for these backends.
     *
     * @throws IllegalArgumentException when two backends claim one scheme
     */
    public static StorageFactory of(List<StorageBackend> backends) {
        Map<String, StorageBackend> byScheme = new TreeMap<>();
        for (StorageBackend backend : backends) {
            if (byScheme.putIfAbsent(backend.scheme(), backend) != null) {
                throw new IllegalArgumentException("two storage backends for the scheme " + backend.scheme());
            }
        }
        return new StorageFactory(byScheme);
    }

    /** The schemes that can be opened, in alphabetical order. */
    public Set<String> schemes() {
        return byScheme.keySet();
    }

    /**
     * Opens the storage a URL names and brings its schema up to date.
     *
     * @throws IllegalArgumentException when the URL is malformed or its scheme is not one of {@link #schemes()}
     *                                  (the message names those that are)
     * @throws IllegalStateException    when the backend cannot open it
     */
    public Storage open(String url, StorageOptions options) {
        StorageUrl parsed = StorageUrl.parse(url);
        StorageBackend backend = byScheme.get(parsed.scheme());
        if (backend == null) {
            throw new IllegalArgumentException(unknownScheme(parsed.scheme(), schemes()));
        }
        return backend.open(parsed, options);
    }

    /** The words for a storage URL whose scheme has no backend, naming those that have one. */
    public static String unknownScheme(String scheme, Set<String> known) {
        return "the scheme " + scheme + ": is not supported; the supported schemes are "
                + String.join(", ", known.stream().map(s -> s + ":").sorted().toList());
    }
}
