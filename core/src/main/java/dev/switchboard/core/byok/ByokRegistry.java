package dev.switchboard.core.byok;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.provider.Credential;
import dev.switchboard.core.storage.ByokStore;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workspaces' own provider keys: administered through the BYOK API, opened once and kept in memory
 * for routing.
 *
 * <p>Design note. Every stored credential is opened ({@link SecretSealer#open}) when the registry opens,
 * and again only when it changes; requests never read the store or decrypt. What requests read is one
 * immutable {@link Snapshot} (each credential opened, and the enabled ones indexed by workspace and
 * provider in the order to try them) in a volatile field; a change builds the next snapshot and swaps
 * it in. Changes are made one at a time under a lock (read the current credential, apply,
 * store, swap), so two concurrent changes to one credential both apply, in some order, and neither is
 * lost. A credential sealed with a previous master key is sealed again with the current one when the
 * registry opens, so that once a start has passed the previous key can be removed (rotation). A
 * credential is written to the store before the snapshot names it, so a failed write changes nothing.
 * Each node holds its own snapshot; changes made through another node reach it at its next start.
 *
 * <p>Thread-safe.
 */
public final class ByokRegistry {
    private static final System.Logger LOG = System.getLogger(ByokRegistry.class.getName());
    private static final Comparator<OwnKey> TRY_ORDER = Comparator.comparingInt(
                    (OwnKey k) -> k.key().sortOrder())
            .thenComparing(k -> k.key().createdAt())
            .thenComparing(OwnKey::id);

    /**
     * The most keys a workspace may have for one provider: every one is an attempt of each request to the
     * provider, so more would only make a plan long and slow to fail.
     */
    public static final int MAX_KEYS_PER_PROVIDER = 25;

    private final ByokStore store;
    private final SecretSealer sealer;
    private final Clock clock;
    private final ReentrantLock changes = new ReentrantLock();
    /** Written under {@link #changes} only; read by requests without a lock. */
    private volatile Snapshot snapshot;

    private final int resealed;

    private ByokRegistry(ByokStore store, SecretSealer sealer, Clock clock, List<OwnKey> opened, int resealed) {
        this.store = store;
        this.sealer = sealer;
        this.clock = clock;
        this.snapshot = Snapshot.of(opened);
        this.resealed = resealed;
    }

    /**
     * Opens every stored credential, sealing those of a previous master key again with the current one.
     *
     * @throws IllegalStateException when a stored credential cannot be opened: the message is one line
     *         that names the credential and the master key that sealed it, never a secret
     */
    public static ByokRegistry open(ByokStore store, SecretSealer sealer, Clock clock) {
        List<OwnKey> opened = new ArrayList<>();
        int resealed = 0;
        for (ByokKey key : store.all()) {
            String secret = openAtStart(sealer, key);
            ByokKey current = key;
            if (!sealer.sealedWithCurrent(key.sealed())) {
                current = key.resealed(sealer.seal(secret, key.id(), key.workspaceId(), key.provider()));
                store.update(current);
                resealed++;
            }
            opened.add(new OwnKey(current, new Credential.ApiKey(secret)));
        }
        if (resealed > 0) {
            LOG.log(
                    Level.INFO,
                    "Sealed " + resealed + " BYOK key(s) again with the current master key ("
                            + sealer.keys().describeCurrent() + "); the previous master keys can now be removed"
                            + " from byok.previous_master_keys.");
        }
        return new ByokRegistry(store, sealer, clock, opened, resealed);
    }

    private static String openAtStart(SecretSealer sealer, ByokKey key) {
        try {
            return sealer.open(key.sealed(), key.id(), key.workspaceId(), key.provider());
        } catch (SecretSealer.Unreadable e) {
            String fix = e.unknownKey()
                    ? "; start with the master key it was sealed with ("
                            + sealer.keys().source()
                            + " is the current one), or list that key in byok.previous_master_keys"
                    : "; restore the database from a backup, or delete the key with the BYOK API"
                            + " once the gateway starts without it";
            throw new IllegalStateException("cannot open the stored BYOK key " + key.id() + " (workspace "
                    + key.workspaceId() + ", provider " + key.provider() + "): " + e.getMessage() + fix);
        }
    }

    /** How many credentials {@link #open} sealed again with the current master key. */
    public int resealed() {
        return resealed;
    }

    /**
     * Stores a new credential.
     *
     * @throws GatewayException 409 when its workspace already has this key for this provider, or
     *         {@value #MAX_KEYS_PER_PROVIDER} keys for it
     */
    public ByokKey create(NewByokKey request) {
        changes.lock();
        try {
            Snapshot now = snapshot;
            now.refuseDuplicate(request.workspaceId(), request.provider(), request.secret(), "");
            now.refuseBeyondBound(request.workspaceId(), request.provider());
            String id = UUID.randomUUID().toString();
            Instant at = clock.instant();
            ByokKey key = new ByokKey(
                    id,
                    request.workspaceId(),
                    request.provider(),
                    request.name(),
                    SecretLabel.of(request.secret()),
                    request.disabled(),
                    request.fallback(),
                    request.alwaysUse(),
                    request.sortOrder().orElseGet(() -> now.nextSortOrder(request.workspaceId(), request.provider())),
                    request.allowedModels(),
                    request.allowedKeyHashes(),
                    at,
                    at,
                    sealer.seal(request.secret(), id, request.workspaceId(), request.provider()));
            store.insert(key);
            snapshot = now.with(new OwnKey(key, new Credential.ApiKey(request.secret())));
            return key;
        } finally {
            changes.unlock();
        }
    }

    /**
     * Applies a change to a credential; a new secret replaces the stored one in place.
     *
     * @throws GatewayException 404 for an unknown id; 409 when the new secret is another credential's
     */
    public ByokKey update(String id, ByokChange change) {
        changes.lock();
        try {
            Snapshot now = snapshot;
            OwnKey current = now.byId().get(id);
            if (current == null) {
                throw notFound(id);
            }
            Instant at = clock.instant();
            ByokKey changed = change.applyTo(current.key(), at);
            Credential credential = current.credential();
            if (change.secret().isPresent()) {
                String secret = change.secret().get();
                now.refuseDuplicate(changed.workspaceId(), changed.provider(), secret, id);
                changed = changed.withSecret(
                        sealer.seal(secret, id, changed.workspaceId(), changed.provider()), SecretLabel.of(secret), at);
                credential = new Credential.ApiKey(secret);
            }
            if (!store.update(changed)) {
                throw notFound(id);
            }
            snapshot = now.with(new OwnKey(changed, credential));
            return changed;
        } finally {
            changes.unlock();
        }
    }

    /**
     * Deletes a credential and its sealed secret; requests planned after this never use it, and a request
     * under way does not start another attempt with it.
     *
     * @throws GatewayException 404 for an unknown id
     */
    public void delete(String id) {
        changes.lock();
        try {
            Snapshot now = snapshot;
            if (!now.byId().containsKey(id) || !store.delete(id)) {
                throw notFound(id);
            }
            snapshot = now.without(id);
        } finally {
            changes.unlock();
        }
    }

    public Optional<ByokKey> find(String id) {
        return Optional.ofNullable(snapshot.byId().get(id)).map(OwnKey::key);
    }

    /** A page of one workspace's credentials, by provider, then in the order they are tried. */
    public Listing list(String workspaceId, Optional<String> provider, int offset, int limit) {
        List<ByokKey> matching = snapshot.byId().values().stream()
                .filter(k -> k.key().workspaceId().equals(workspaceId))
                .filter(k -> provider.map(p -> p.equals(k.provider())).orElse(true))
                .sorted(Comparator.comparing(OwnKey::provider).thenComparing(TRY_ORDER))
                .map(OwnKey::key)
                .toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + limit, matching.size());
        return new Listing(matching.subList(from, to), matching.size());
    }

    /** A page of credentials and how many matched in all. */
    public record Listing(List<ByokKey> keys, int total) {
        public Listing {
            keys = List.copyOf(keys);
        }
    }

    /** The credentials a request of {@code caller} may use: its workspace's, enabled, allowing it. */
    public OwnKeys forCaller(ApiKey caller) {
        Map<String, List<OwnKey>> byProvider = snapshot.enabled().get(caller.workspaceId());
        if (byProvider == null) {
            return OwnKeys.NONE;
        }
        String keyHash = caller.hash();
        return (provider, model) -> {
            List<OwnKey> keys = byProvider.get(provider);
            if (keys == null) {
                return List.of();
            }
            return keys.stream().filter(k -> k.key().allows(model, keyHash)).toList();
        };
    }

    /** The credential of {@code id} as it stands now, while it is stored and enabled. */
    public Optional<Credential> usable(String id) {
        OwnKey key = snapshot.byId().get(id);
        return key == null || key.key().disabled() ? Optional.empty() : Optional.of(key.credential());
    }

    private static GatewayException notFound(String id) {
        return GatewayException.notFound("No BYOK key with id " + id);
    }

    /**
     * One state of the registry: every credential opened, by id, and the enabled ones by workspace and
     * provider in the order they are tried. Immutable.
     */
    private record Snapshot(Map<String, OwnKey> byId, Map<String, Map<String, List<OwnKey>>> enabled) {
        static Snapshot of(List<OwnKey> keys) {
            Map<String, OwnKey> byId = new LinkedHashMap<>();
            keys.forEach(k -> byId.put(k.id(), k));
            return of(byId);
        }

        private static Snapshot of(Map<String, OwnKey> byId) {
            Map<String, Map<String, List<OwnKey>>> enabled = new LinkedHashMap<>();
            byId.values().stream()
                    .filter(k -> !k.key().disabled())
                    .sorted(TRY_ORDER)
                    .forEach(k -> enabled.computeIfAbsent(k.key().workspaceId(), w -> new LinkedHashMap<>())
                            .computeIfAbsent(k.provider(), p -> new ArrayList<>())
                            .add(k));
            Map<String, Map<String, List<OwnKey>>> frozen = new LinkedHashMap<>();
            enabled.forEach((workspace, providers) -> {
                Map<String, List<OwnKey>> lists = new LinkedHashMap<>();
                providers.forEach((provider, list) -> lists.put(provider, List.copyOf(list)));
                frozen.put(workspace, Map.copyOf(lists));
            });
            return new Snapshot(Map.copyOf(byId), Map.copyOf(frozen));
        }

        Snapshot with(OwnKey key) {
            Map<String, OwnKey> next = new LinkedHashMap<>(byId);
            next.put(key.id(), key);
            return of(next);
        }

        Snapshot without(String id) {
            Map<String, OwnKey> next = new LinkedHashMap<>(byId);
            next.remove(id);
            return of(next);
        }

        int nextSortOrder(String workspaceId, String provider) {
            return byId.values().stream()
                    .filter(k -> k.key().workspaceId().equals(workspaceId)
                            && k.provider().equals(provider))
                    .mapToInt(k -> k.key().sortOrder())
                    .max()
                    .stream()
                    .map(max -> max == Integer.MAX_VALUE ? max : max + 1)
                    .findFirst()
                    .orElse(0);
        }

        /** 409 when the workspace has {@link #MAX_KEYS_PER_PROVIDER} keys for {@code provider} already. */
        void refuseBeyondBound(String workspaceId, String provider) {
            long held = byId.values().stream()
                    .filter(k -> k.key().workspaceId().equals(workspaceId)
                            && k.provider().equals(provider))
                    .count();
            if (held >= MAX_KEYS_PER_PROVIDER) {
                throw new GatewayException(
                        ErrorType.CONFLICT,
                        "Workspace " + workspaceId + " has " + held + " BYOK keys for provider " + provider
                                + ", at most " + MAX_KEYS_PER_PROVIDER + " are kept; delete one first");
            }
        }

        /** 409 when another credential of the workspace holds {@code secret} for {@code provider}. */
        void refuseDuplicate(String workspaceId, String provider, String secret, String exceptId) {
            byte[] wanted = secret.getBytes(StandardCharsets.UTF_8);
            for (OwnKey k : byId.values()) {
                if (!k.id().equals(exceptId)
                        && k.key().workspaceId().equals(workspaceId)
                        && k.provider().equals(provider)
                        && k.credential() instanceof Credential.ApiKey apiKey
                        && MessageDigest.isEqual(apiKey.secret().getBytes(StandardCharsets.UTF_8), wanted)) {
                    throw new GatewayException(
                            ErrorType.CONFLICT,
                            "This key is already stored for provider " + provider + " in workspace " + workspaceId
                                    + " as BYOK key " + k.id());
                }
            }
        }
    }
}
