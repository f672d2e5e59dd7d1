package dev.switchboard.core.preset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A preset's designated version, parsed once and held in memory for requests to use.
 *
 * @param id      the preset's id, recorded with each generation that used it
 * @param version the designated version's number
 * @param config  shared by every request that uses the preset: never changed, copied where it is applied
 */
public record ActivePreset(String id, String slug, int version, Optional<String> systemPrompt, ObjectNode config) {
    public ActivePreset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        Objects.requireNonNull(config, "config");
    }
}
