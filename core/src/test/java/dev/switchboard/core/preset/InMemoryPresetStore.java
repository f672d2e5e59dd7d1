package dev.switchboard.core.preset;

import dev.switchboard.core.storage.Page;
import dev.switchboard.core.storage.PresetStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link PresetStore} in memory that counts its reads by slug, for the registry's cache tests. */
final class InMemoryPresetStore implements PresetStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Preset> bySlug = new LinkedHashMap<>();
    private final List<PresetVersion> versions = new ArrayList<>();
    private final AtomicInteger finds = new AtomicInteger();

    int finds() {
        return finds.get();
    }

    @Override
    public DesignatedPreset addVersion(NewPresetVersion v) {
        lock.lock();
        try {
            Preset existing = bySlug.get(v.slug());
            String presetId = existing == null ? v.presetIdIfNew() : existing.id();
            int number = (int) versions.stream()
                            .filter(x -> x.presetId().equals(presetId))
                            .count()
                    + 1;
            PresetVersion version = new PresetVersion(
                    v.versionId(), presetId, number, v.systemPrompt(), v.config(), v.creatorId(), v.createdAt());
            versions.add(version);
            Preset preset = new Preset(
                    presetId,
                    v.slug(),
                    v.slug(),
                    PresetStatus.ACTIVE,
                    v.versionId(),
                    existing == null ? v.createdAt() : existing.createdAt(),
                    v.createdAt());
            bySlug.put(v.slug(), preset);
            return new DesignatedPreset(preset, version);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<DesignatedPreset> find(String slug) {
        finds.incrementAndGet();
        lock.lock();
        try {
            Preset preset = bySlug.get(slug);
            if (preset == null) {
                return Optional.empty();
            }
            PresetVersion designated = versions.stream()
                    .filter(v -> v.id().equals(preset.designatedVersionId()))
                    .findFirst()
                    .orElseThrow();
            return Optional.of(new DesignatedPreset(preset, designated));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Page<Preset> list(int offset, int limit) {
        lock.lock();
        try {
            List<Preset> all = bySlug.values().stream()
                    .sorted(Comparator.comparing(Preset::updatedAt).reversed())
                    .toList();
            return new Page<>(all.stream().skip(offset).limit(limit).toList(), all.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Page<PresetVersion> versions(String presetId, int offset, int limit) {
        lock.lock();
        try {
            List<PresetVersion> all =
                    versions.stream().filter(v -> v.presetId().equals(presetId)).toList();
            return new Page<>(all.stream().skip(offset).limit(limit).toList(), all.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<PresetVersion> version(String presetId, int number) {
        lock.lock();
        try {
            return versions.stream()
                    .filter(v -> v.presetId().equals(presetId) && v.number() == number)
                    .findFirst();
        } finally {
            lock.unlock();
        }
    }
}
