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
import org.jspecify.annotations.Nullable;

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
    /** The shortest {@code SWITCHBOARD_ADMIN_KEY} accepted; generated keys are much longer. */
    public static final int MIN_CONFIGURED_SECRET_LENGTH = 24;

    static final String CONFIGURED_KEY_NAME = "Admin key (SWITCHBOARD_ADMIN_KEY)";

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
    public ApiKey authenticate(@Nullable String authorizationHeader) {
        String secret = bearer(authorizationHeader);
        ApiKey key = byHash.get(KeySecrets.hash(secret));
        if (key == null) {
            throw GatewayException.unauthorized("Invalid API key");
        }
        if (key.disabled()) {
            throw GatewayException.unauthorized("API key is disabled");
        }
        if (key.expired(clock.instant())) {
            throw GatewayException.unauthorized("API key has expired");
        }
        return key;
    }

    /** Like {@link #authenticate} and additionally requires a management key (403 otherwise). */
    public ApiKey authenticateManagement(@Nullable String authorizationHeader) {
        ApiKey key = authenticate(authorizationHeader);
        if (!key.management()) {
            throw GatewayException.forbidden("This endpoint requires a management key");
        }
        return key;
    }

    /** Like {@link #authenticate} and refuses management keys, which cannot call inference (403). */
    public ApiKey authenticateInference(@Nullable String authorizationHeader) {
        ApiKey key = authenticate(authorizationHeader);
        if (key.management()) {
            throw GatewayException.forbidden(
                    "Management keys cannot be used for inference; create an API key with POST /api/v1/keys");
        }
        return key;
    }

    /** Creates a key; its secret is in the result and nowhere else. */
    public CreatedKey create(String name, boolean management) {
        return create(name, management, ApiKey.Spending.UNLIMITED);
    }

    /** Creates a key with spending settings; its secret is in the result and nowhere else. */
    public CreatedKey create(String name, boolean management, ApiKey.Spending spending) {
        return create(name, management, spending, RateLimit.NONE);
    }

    /** Creates a key with spending settings and a rate limit; its secret is in the result and nowhere else. */
    public CreatedKey create(String name, boolean management, ApiKey.Spending spending, RateLimit rateLimit) {
        String secret = secrets.generate();
        return new CreatedKey(insert(secret, name, management, spending, rateLimit), secret);
    }

    /**
     * Makes sure an enabled management key exists.
     *
     * <p>With {@code configuredSecret} (from {@code SWITCHBOARD_ADMIN_KEY}) that secret is the
     * environment's management key: registered if new, re-enabled if it was disabled, and the key
     * registered from an earlier value of the variable is deleted, so changing the variable rotates the
     * key. Management keys created otherwise are left alone. Without it, a management key is created and
     * returned (to be shown once) when no enabled one exists: on first start, or to recover access.
     *
     * @throws IllegalArgumentException when the configured secret is too short to be a key
     */
    public Optional<CreatedKey> ensureManagementKey(Optional<String> configuredSecret) {
        if (configuredSecret.isPresent()) {
            registerConfigured(configuredSecret.get());
            return Optional.empty();
        }
        if (enabledManagementKeys() > 0) {
            return Optional.empty();
        }
        return Optional.of(create("Admin key (created at first start)", true));
    }

    private void registerConfigured(String secret) {
        if (secret.strip().length() < MIN_CONFIGURED_SECRET_LENGTH) {
            throw new IllegalArgumentException("SWITCHBOARD_ADMIN_KEY must be at least " + MIN_CONFIGURED_SECRET_LENGTH
                    + " characters long (for example the output of `openssl rand -hex 32`)");
        }
        String hash = KeySecrets.hash(secret.strip());
        byHash.values().stream()
                .filter(k -> k.management()
                        && k.name().equals(CONFIGURED_KEY_NAME)
                        && !k.hash().equals(hash))
                .map(ApiKey::hash)
                .toList()
                .forEach(this::remove);
        ApiKey existing = byHash.get(hash);
        if (existing == null) {
            insert(secret.strip(), CONFIGURED_KEY_NAME, true, ApiKey.Spending.UNLIMITED, RateLimit.NONE);
        } else if (existing.disabled()) {
            store(existing.withDisabled(false, clock.instant()));
        }
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

    /**
     * Applies a change to a key and stores it.
     *
     * @throws GatewayException 404 for an unknown key; 400 when it would disable the last enabled management key
     */
    public ApiKey update(String hash, Optional<String> name, Optional<Boolean> disabled) {
        return update(hash, name, disabled, Optional.empty());
    }

    /**
     * Applies a change to a key, its spending settings included, and stores it.
     *
     * @throws GatewayException 404 for an unknown key; 400 when it would disable the last enabled management key
     */
    public ApiKey update(
            String hash,
            Optional<String> name,
            Optional<Boolean> disabled,
            Optional<java.util.function.UnaryOperator<ApiKey.Spending>> spending) {
        return update(hash, name, disabled, spending, Optional.empty());
    }

    /**
     * Applies a change to a key, its spending settings and its rate limit included, and stores it.
     *
     * @throws GatewayException 404 for an unknown key; 400 when it would disable the last enabled management key
     */
    public ApiKey update(
            String hash,
            Optional<String> name,
            Optional<Boolean> disabled,
            Optional<java.util.function.UnaryOperator<ApiKey.Spending>> spending,
            Optional<java.util.function.UnaryOperator<RateLimit>> rateLimit) {
        ApiKey current = find(hash).orElseThrow(() -> GatewayException.notFound("No key with hash " + hash));
        if (disabled.orElse(false)) {
            refuseToRemoveLastManagementKey(current, "disable");
        }
        Instant now = clock.instant();
        ApiKey changed = current;
        if (name.isPresent()) {
            changed = changed.withName(name.get(), now);
        }
        if (disabled.isPresent()) {
            changed = changed.withDisabled(disabled.get(), now);
        }
        if (spending.isPresent()) {
            changed = changed.withSpending(spending.get().apply(changed.spending()), now);
        }
        if (rateLimit.isPresent()) {
            changed = changed.withRateLimit(rateLimit.get().apply(changed.rateLimit()), now);
        }
        store(changed);
        return changed;
    }

    /**
     * Deletes a key.
     *
     * @throws GatewayException 404 for an unknown key; 400 for the last enabled management key
     */
    public void delete(String hash) {
        ApiKey current = find(hash).orElseThrow(() -> GatewayException.notFound("No key with hash " + hash));
        refuseToRemoveLastManagementKey(current, "delete");
        remove(hash);
    }

    private void refuseToRemoveLastManagementKey(ApiKey key, String action) {
        if (key.management() && !key.disabled() && enabledManagementKeys() == 1) {
            throw GatewayException.invalidRequest(
                    "Cannot " + action + " the last enabled management key;" + " create another management key first");
        }
    }

    private long enabledManagementKeys() {
        return byHash.values().stream()
                .filter(k -> k.management() && !k.disabled())
                .count();
    }

    private void store(ApiKey key) {
        store.update(key);
        byHash.put(key.hash(), key);
    }

    private void remove(String hash) {
        if (!store.delete(hash)) {
            throw GatewayException.notFound("No key with hash " + hash);
        }
        byHash.remove(hash);
    }

    private ApiKey insert(
            String secret, String name, boolean management, ApiKey.Spending spending, RateLimit rateLimit) {
        Instant now = clock.instant();
        ApiKey key = new ApiKey(
                KeySecrets.hash(secret),
                name,
                KeySecrets.label(secret),
                false,
                management,
                now,
                now,
                ApiKey.DEFAULT_WORKSPACE,
                spending,
                rateLimit);
        store.insert(key);
        byHash.put(key.hash(), key);
        return key;
    }

    private static String bearer(@Nullable String header) {
        if (header == null || header.isBlank()) {
            throw GatewayException.unauthorized("Missing Authorization header; send 'Authorization: Bearer <key>'");
        }
        String value = header.strip();
        if (value.regionMatches(true, 0, "Bearer", 0, 6)
                && (value.length() == 6 || Character.isWhitespace(value.charAt(6)))) {
            value = value.substring(6).strip();
        }
        if (value.isEmpty()) {
            throw GatewayException.unauthorized("Empty API key in Authorization header");
        }
        return value;
    }
}
