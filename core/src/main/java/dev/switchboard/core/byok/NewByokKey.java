package dev.switchboard.core.byok;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a new BYOK credential is made of, checked by the API that read it. {@code toString} never shows
 * the secret.
 *
 * @param sortOrder its place among its provider's keys; empty: after the others
 */
public record NewByokKey(
        String workspaceId,
        String provider,
        String secret,
        Optional<String> name,
        boolean disabled,
        boolean fallback,
        boolean alwaysUse,
        Optional<Integer> sortOrder,
        Optional<List<String>> allowedModels,
        Optional<List<String>> allowedKeyHashes) {
    public NewByokKey {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sortOrder, "sortOrder");
        allowedModels = allowedModels.map(List::copyOf);
        allowedKeyHashes = allowedKeyHashes.map(List::copyOf);
    }

    @Override
    public String toString() {
        return "NewByokKey[workspaceId=" + workspaceId + ", provider=" + provider + ", secret=<secret>]";
    }
}
