package dev.switchboard.core.preset;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored preset without its versions.
 *
 * @param id                  a UUID
 * @param slug                what requests name it by ({@link PresetSlug})
 * @param name                the slug it was created with (the API has no way to rename it yet)
 * @param designatedVersionId the version requests use: the newest one
 * @param updatedAt           when its newest version was added
 */
public record Preset(
        String id,
        String slug,
        String name,
        PresetStatus status,
        String designatedVersionId,
        Instant createdAt,
        Instant updatedAt) {
    public Preset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(designatedVersionId, "designatedVersionId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
