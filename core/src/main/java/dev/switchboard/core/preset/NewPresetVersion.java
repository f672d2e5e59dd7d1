package dev.switchboard.core.preset;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A version to add to the preset with {@code slug}, created with {@code presetIdIfNew} when no preset has
 * that slug yet. The store numbers it.
 */
public record NewPresetVersion(
        String slug,
        String presetIdIfNew,
        String versionId,
        Optional<String> systemPrompt,
        String config,
        String creatorId,
        Instant createdAt) {
    public NewPresetVersion {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(presetIdIfNew, "presetIdIfNew");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(creatorId, "creatorId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
