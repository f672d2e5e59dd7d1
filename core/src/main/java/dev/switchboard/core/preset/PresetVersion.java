package dev.switchboard.core.preset;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a preset. Versions are never changed once written; a change is a new version.
 *
 * @param id           a UUID
 * @param presetId     the preset's id
 * @param number       1 for the first version of a preset, then 2, 3, ...
 * @param systemPrompt the system message added to requests that have none
 * @param config       a JSON object in the chat-completions request's shape ({@link PresetConfig}), as text
 * @param creatorId    the hash of the management key that created it
 */
public record PresetVersion(
        String id,
        String presetId,
        int number,
        Optional<String> systemPrompt,
        String config,
        String creatorId,
        Instant createdAt) {
    public PresetVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(presetId, "presetId");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(creatorId, "creatorId");
        Objects.requireNonNull(createdAt, "createdAt");
        if (number < 1) {
            throw new IllegalArgumentException("version numbers start at 1");
        }
    }
}
