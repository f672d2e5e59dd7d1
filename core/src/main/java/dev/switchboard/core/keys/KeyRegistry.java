package dev.switchboard.core.keys;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.storage.KeyStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates requests and administers keys.
 *
 * <p>Design note. Authentication is on every request, so it reads an in-memory map from SHA-256 hash
 * to key, loaded from the {@link KeyStore} at start and written through on every change made here.
 * Each node holds its own copy; when several nodes share a database, changes made on one reach the
 * others through the cache invalidation that the multi-node work adds. Presented secrets are hashed
 * and compared by hash only; they are never stored, logged or echoed.
 *
 * <p>Thread-safe.
 */
public final class KeyRegistry {
    private final KeyStore store;
    private final Clock clock;
    private final KeySecrets secrets = new KeySecrets();
    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();

    public KeyRegistry(KeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        store.all().forEach(k -> byHash.put(k.hash(), k));
    }

    /**
     * The enabled key behind an {@code Authorization} header value.
     *
     * @throws GatewayException 401 when the header is missing or malformed, or the key is unknown or disabled
     */
    public ApiKey authenticate(String authorizationHeader) {
        String secret = bearer(authorizationHeader);
        ApiKey key = byHash.get(KeySecrets.hash(secret));
        if (key == null) {
            throw GatewayException.unauthorized("Invalid API key");
        }
        if (key.disabled()) {
            throw GatewayException.unauthorized("API key is disabled");
        }
        return key;
    }

    /** Like {@link #authenticate} and additionally requires a management key (403 otherwise). */
    public ApiKey authenticateManagement(String authorizationHeader) {
        ApiKey key = authenticate(authorizationHeader);
        if (!key.management()) {
            throw GatewayException.forbidden("This endpoint requires a management key");
        }
        return key;
    }

    /** Like {@link #authenticate} and refuses management keys, which cannot call inference (403). */
    public ApiKey authenticateInference(String authorizationHeader) {
        ApiKey key = authenticate(authorizationHeader);
        if (key.management()) {
            throw GatewayException.forbidden("Management keys cannot be used for inference; create an API key with POST /api/v1/keys");
        }
        return key;
    }

    /** Creates a key; its secret is in the result and nowhere else. */
    public CreatedKey create(String name, boolean management) {
        String secret = secrets.generate();
        return new CreatedKey(insert(secret, name, management), secret);
    }

    /**
     * Makes sure a management key exists. With {@code configuredSecret} (from {@code SWITCHBOARD_ADMIN_KEY})
     * that secret is registered as a management key; otherwise, if there is no management key yet, one
     * is created and returned so that it can be shown once.
     */
    public Optional<CreatedKey> ensureManagementKey(Optional<String> configuredSecret) {
        if (configuredSecret.isPresent()) {
            String secret = configuredSecret.get();
            if (!byHash.containsKey(KeySecrets.hash(secret))) {
                insert(secret, "Admin key (SWITCHBOARD_ADMIN_KEY)", true);
            }
            return Optional.empty();
        }
        if (byHash.values().stream().anyMatch(ApiKey::management)) {
            return Optional.empty();
        }
        return Optional.of(create("Admin key (created at first start)", true));
    }

    public Optional<ApiKey> find(String hash) {
        return Optional.ofNullable(byHash.get(hash));
    }

    /** Keys oldest first, optionally with disabled ones, paged. */
    public List<ApiKey> list(boolean includeDisabled, int offset, int limit) {
        return byHash.values().stream()
                .filter(k -> includeDisabled || !k.disabled())
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::hash))
                .skip(offset)
                .limit(limit)
                .toList();
    }

    /** Applies a change to a key and stores it. */
    public ApiKey update(String hash, Optional<String> name, Optional<Boolean> disabled) {
        ApiKey current = find(hash).orElseThrow(() -> GatewayException.notFound("No key with hash " + hash));
        Instant now = clock.instant();
        ApiKey changed = current;
        if (name.isPresent()) {
            changed = changed.withName(name.get(), now);
        }
        if (disabled.isPresent()) {
            changed = changed.withDisabled(disabled.get(), now);
        }
        store.update(changed);
        byHash.put(hash, changed);
        return changed;
    }

    public void delete(String hash) {
        if (!store.delete(hash)) {
            throw GatewayException.notFound("No key with hash " + hash);
        }
        byHash.remove(hash);
    }

    private ApiKey insert(String secret, String name, boolean management) {
        Instant now = clock.instant();
        ApiKey key = new ApiKey(KeySecrets.hash(secret), name, KeySecrets.label(secret), false, management, now, now);
        store.insert(key);
        byHash.put(key.hash(), key);
        return key;
    }

    private static String bearer(String header) {
        if (header == null || header.isBlank()) {
            throw GatewayException.unauthorized("Missing Authorization header; send 'Authorization: Bearer <key>'");
        }
        String value = header.strip();
        if (value.regionMatches(true, 0, "Bearer", 0, 6) && (value.length() == 6 || Character.isWhitespace(value.charAt(6)))) {
            value = value.substring(6).strip();
        }
        if (value.isEmpty()) {
            throw GatewayException.unauthorized("Empty API key in Authorization header");
        }
        return value;
    }
}
