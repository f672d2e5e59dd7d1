package dev.switchboard.core.byok;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a BYOK credential: each field empty when it is left as it is. For {@code name} and the
 * allowlists, a present empty value clears it. {@code toString} never shows the secret.
 *
 * @param secret a new provider key that replaces the stored one in place
 */
public record ByokChange(
        Optional<String> secret,
        Optional<Optional<String>> name,
        Optional<Boolean> disabled,
        Optional<Boolean> fallback,
        Optional<Boolean> alwaysUse,
        Optional<Integer> sortOrder,
        Optional<Optional<List<String>>> allowedModels,
        Optional<Optional<List<String>>> allowedKeyHashes) {
    public ByokChange {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(disabled, "disabled");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(alwaysUse, "alwaysUse");
        Objects.requireNonNull(sortOrder, "sortOrder");
        Objects.requireNonNull(allowedModels, "allowedModels");
        Objects.requireNonNull(allowedKeyHashes, "allowedKeyHashes");
    }

    /** {@code key} with this change applied (its secret excepted, which is sealed by the registry). */
    ByokKey applyTo(ByokKey key, java.time.Instant now) {
        return new ByokKey(
                key.id(),
                key.workspaceId(),
                key.provider(),
                name.orElse(key.name()),
                key.label(),
                disabled.orElse(key.disabled()),
                fallback.orElse(key.fallback()),
                alwaysUse.orElse(key.alwaysUse()),
                sortOrder.orElse(key.sortOrder()),
                allowedModels.orElse(key.allowedModels()),
                allowedKeyHashes.orElse(key.allowedKeyHashes()),
                key.createdAt(),
                now,
                key.sealed());
    }

    @Override
    public String toString() {
        return "ByokChange[secret=" + (secret.isPresent() ? "<secret>" : "unchanged") + "]";
    }
}
