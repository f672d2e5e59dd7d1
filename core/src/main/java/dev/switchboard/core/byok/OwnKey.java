package dev.switchboard.core.byok;

import dev.switchboard.core.provider.Credential;
import java.util.Objects;

/**
 * A BYOK credential opened for use: its stored settings and the credential calls to its provider carry.
 * {@code toString} never shows the secret ({@link Credential} masks it).
 */
public record OwnKey(ByokKey key, Credential credential) {
    public OwnKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(credential, "credential");
    }

    public String id() {
        return key.id();
    }

    public String provider() {
        return key.provider();
    }

    public boolean fallback() {
        return key.fallback();
    }

    public boolean alwaysUse() {
        return key.alwaysUse();
    }
}
