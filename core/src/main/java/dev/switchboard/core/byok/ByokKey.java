package dev.switchboard.core.byok;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored BYOK credential: a workspace's own key for one provider, sealed ({@link SealedSecret}), and
 * how routing uses it. Never holds the secret in clear; {@code label} is a masked form safe to show
 * ({@link SecretLabel}).
 *
 * @param provider          the provider's slug
 * @param name              a person's name for it
 * @param fallback          tried after the shared endpoints of its provider (else before them)
 * @param alwaysUse         when its provider's endpoints are planned, the shared ones are not: a request
 *                          that this key cannot serve fails rather than spend shared capacity
 * @param sortOrder         keys of one provider are tried in ascending order
 * @param allowedModels     the model ids it may serve; empty: all
 * @param allowedKeyHashes  the hashes of the API keys whose requests may use it; empty: all of its workspace's
 */
public record ByokKey(
        String id,
        String workspaceId,
        String provider,
        Optional<String> name,
        String label,
        boolean disabled,
        boolean fallback,
        boolean alwaysUse,
        int sortOrder,
        Optional<List<String>> allowedModels,
        Optional<List<String>> allowedKeyHashes,
        Instant createdAt,
        Instant updatedAt,
        SealedSecret sealed) {
    public ByokKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        allowedModels = allowedModels.map(List::copyOf);
        allowedKeyHashes = allowedKeyHashes.map(List::copyOf);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(sealed, "sealed");
    }

    /** Whether a request of the key {@code keyHash} for {@code modelId} may use this credential (enabled or not). */
    public boolean allows(String modelId, String keyHash) {
        return allowedModels.map(models -> models.contains(modelId)).orElse(true)
                && allowedKeyHashes.map(hashes -> hashes.contains(keyHash)).orElse(true);
    }

    /** The same credential with a new secret (already sealed for this row) and label. */
    public ByokKey withSecret(SealedSecret newSealed, String newLabel, Instant now) {
        return new ByokKey(
                id,
                workspaceId,
                provider,
                name,
                newLabel,
                disabled,
                fallback,
                alwaysUse,
                sortOrder,
                allowedModels,
                allowedKeyHashes,
                createdAt,
                now,
                newSealed);
    }

    /** The same credential sealed anew (a master key rotation); nothing a client sees changes. */
    public ByokKey resealed(SealedSecret newSealed) {
        return new ByokKey(
                id,
                workspaceId,
                provider,
                name,
                label,
                disabled,
                fallback,
                alwaysUse,
                sortOrder,
                allowedModels,
                allowedKeyHashes,
                createdAt,
                updatedAt,
                newSealed);
    }
}
