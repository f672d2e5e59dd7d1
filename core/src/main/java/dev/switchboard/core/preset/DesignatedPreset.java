package dev.switchboard.core.preset;

import java.util.Objects;

/** A preset with the version requests use. */
public record DesignatedPreset(Preset preset, PresetVersion version) {
    public DesignatedPreset {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(version, "version");
        if (!version.id().equals(preset.designatedVersionId())) {
            throw new IllegalArgumentException("the version is not the preset's designated one");
        }
    }
}
