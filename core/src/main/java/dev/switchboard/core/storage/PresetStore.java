package dev.switchboard.core.storage;

import dev.switchboard.core.preset.DesignatedPreset;
import dev.switchboard.core.preset.NewPresetVersion;
import dev.switchboard.core.preset.Preset;
import dev.switchboard.core.preset.PresetVersion;
import java.util.Optional;

/**
 * Durable presets and their versions. Implementations are thread-safe; every method is one atomic
 * write or read. Failures are thrown as {@link StorageException}.
 */
public interface PresetStore {
    /**
     * Adds a version to the preset with the version's slug and designates it, creating the preset (id
     * {@link NewPresetVersion#presetIdIfNew()}, named after its slug, active) when no preset has that
     * slug. The version's number is one more than the preset's highest. All in one transaction, so that
     * two concurrent additions to one slug get two numbers, and a reader never sees a preset without
     * its designated version.
     */
    DesignatedPreset addVersion(NewPresetVersion version);

    /** The preset with this slug and its designated version. */
    Optional<DesignatedPreset> find(String slug);

    /** Presets, most recently updated first (ties by id). */
    Page<Preset> list(int offset, int limit);

    /** A preset's versions, oldest first. */
    Page<PresetVersion> versions(String presetId, int offset, int limit);

    Optional<PresetVersion> version(String presetId, int number);
}
