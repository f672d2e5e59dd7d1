package dev.switchboard.core.keys;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored key. Only the SHA-256 of the secret is kept ({@code hash}, lowercase hex, which is also the
 * key's id in the API); {@code label} is a masked form safe to show.
 *
 * @param management management keys administer keys and read usage; they cannot call inference
 */
public record ApiKey(
        String hash,
        String name,
        String label,
        boolean disabled,
        boolean management,
        Instant createdAt,
        Instant updatedAt) {
    public ApiKey {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public ApiKey withName(String newName, Instant now) {
        return new ApiKey(hash, newName, label, disabled, management, createdAt, now);
    }

    public ApiKey withDisabled(boolean newDisabled, Instant now) {
        return new ApiKey(hash, name, label, newDisabled, management, createdAt, now);
    }
}
