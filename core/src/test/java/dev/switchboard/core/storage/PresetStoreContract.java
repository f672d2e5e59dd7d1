package dev.switchboard.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.preset.DesignatedPreset;
import dev.switchboard.core.preset.NewPresetVersion;
import dev.switchboard.core.preset.Preset;
import dev.switchboard.core.preset.PresetStatus;
import dev.switchboard.core.preset.PresetVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every backend's {@link PresetStore} must do: presets created by their first version, numbered and
 * designated versions, listings in their orders with total counts, and the preset a generation record
 * used. A backend's test extends this class and says how to open a new, empty storage.
 *
 * <p>Packaged in core's test jar with {@link StorageContract}.
 */
public abstract class PresetStoreContract {
    private static final Instant T0 = Instant.parse("2026-04-20T10:00:00Z");
    private static final String CREATOR = "c".repeat(64);

    private Storage storage;
    private PresetStore presets;
    private final AtomicInteger ids = new AtomicInteger();

    /** A new storage with an up-to-date, empty schema; closed by the contract after each test. */
    protected abstract Storage openStorage();

    @BeforeEach
    void openTheStorage() {
        storage = openStorage();
        presets = storage.presets();
    }

    @AfterEach
    void closeTheStorage() {
        storage.close();
    }

    @Test
    void theFirstVersionCreatesAnActivePresetNamedAfterItsSlug() {
        DesignatedPreset created = presets.addVersion(version("my-preset", "{\"model\":\"acme/chat\"}", T0));

        Preset preset = created.preset();
        assertThat(preset.slug()).isEqualTo("my-preset");
        assertThat(preset.name()).isEqualTo("my-preset");
        assertThat(preset.status()).isEqualTo(PresetStatus.ACTIVE);
        assertThat(preset.createdAt()).isEqualTo(T0);
        assertThat(preset.updatedAt()).isEqualTo(T0);
        assertThat(created.version().number()).isEqualTo(1);
        assertThat(created.version().presetId()).isEqualTo(preset.id());
        assertThat(presets.find("my-preset")).contains(created);
    }

    @Test
    void aVersionKeepsEveryFieldExactly() {
        Instant at = Instant.parse("2026-04-20T10:00:00.123456789Z");
        NewPresetVersion written = new NewPresetVersion(
                "exact",
                "p-exact",
                "v-exact",
                Optional.of("Be brief.\n\u00e9\u4e2d \ud83d\ude80 \"quoted\""),
                "{\"temperature\":0.70,\"provider\":{\"order\":[\"a\"]}}",
                CREATOR,
                at);

        PresetVersion stored = presets.addVersion(written).version();

        assertThat(stored)
                .isEqualTo(new PresetVersion(
                        "v-exact", "p-exact", 1, written.systemPrompt(), written.config(), CREATOR, at));
        assertThat(presets.version("p-exact", 1)).contains(stored);
    }

    @Test
    void aVersionWithoutASystemPromptHasNone() {
        PresetVersion stored = presets.addVersion(version("plain", "{}", T0)).version();

        assertThat(stored.systemPrompt()).isEmpty();
        assertThat(presets.version(stored.presetId(), 1).orElseThrow().systemPrompt())
                .isEmpty();
    }

    @Test
    void aLaterVersionOfASlugIsNumberedNextAndDesignated() {
        DesignatedPreset first = presets.addVersion(version("evolving", "{\"temperature\":0.1}", T0));

        DesignatedPreset second = presets.addVersion(version("evolving", "{\"temperature\":0.2}", T0.plusSeconds(60)));

        assertThat(second.preset().id()).isEqualTo(first.preset().id());
        assertThat(second.preset().createdAt()).isEqualTo(T0);
        assertThat(second.preset().updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(second.version().number()).isEqualTo(2);
        assertThat(second.preset().designatedVersionId())
                .isEqualTo(second.version().id());
        assertThat(presets.find("evolving")).contains(second);
        assertThat(presets.version(first.preset().id(), 1)).contains(first.version());
    }

    @Test
    void anUnknownSlugOrVersionIsNotFound() {
        DesignatedPreset known = presets.addVersion(version("known", "{}", T0));

        assertThat(presets.find("unknown")).isEmpty();
        assertThat(presets.version(known.preset().id(), 2)).isEmpty();
        assertThat(presets.version("no-such-id", 1)).isEmpty();
        assertThat(presets.versions("no-such-id", 0, 10)).isEqualTo(new Page<>(List.of(), 0));
    }

    @Test
    void presetsAreListedMostRecentlyUpdatedFirstInPages() {
        // fractions of different lengths, which sort wrongly as ISO text unless stored at a fixed width
        presets.addVersion(version("a", "{}", T0.plusMillis(500)));
        presets.addVersion(version("b", "{}", T0.plusSeconds(1)));
        presets.addVersion(version("c", "{}", T0.plusNanos(1)));
        presets.addVersion(version("a", "{}", T0.plusSeconds(2)));

        assertThat(presets.list(0, 10).items()).extracting(Preset::slug).containsExactly("a", "b", "c");
        Page<Preset> second = presets.list(1, 1);
        assertThat(second.items()).extracting(Preset::slug).containsExactly("b");
        assertThat(second.totalCount()).isEqualTo(3);
        assertThat(presets.list(3, 10)).isEqualTo(new Page<>(List.of(), 3));
    }

    @Test
    void versionsAreListedOldestFirstInPages() {
        String id = presets.addVersion(version("v", "{\"n\":1}", T0)).preset().id();
        presets.addVersion(version("v", "{\"n\":2}", T0.plusSeconds(1)));
        presets.addVersion(version("v", "{\"n\":3}", T0.plusSeconds(2)));

        assertThat(presets.versions(id, 0, 10).items())
                .extracting(PresetVersion::config)
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        Page<PresetVersion> page = presets.versions(id, 1, 1);
        assertThat(page.items()).extracting(PresetVersion::number).containsExactly(2);
        assertThat(page.totalCount()).isEqualTo(3);
    }

    @Test
    void concurrentVersionsOfOneSlugGetDistinctNumbers() throws Exception {
        int writers = 6;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Integer>>> numbers = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                numbers.add(pool.submit(() -> {
                    start.await();
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(presets.addVersion(version("busy", "{}", T0))
                                .version()
                                .number());
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> f : numbers) {
                all.addAll(f.get());
            }

            assertThat(all).doesNotHaveDuplicates().hasSize(writers * each);
            assertThat(presets.list(0, 10).totalCount()).isEqualTo(1);
            assertThat(presets.find("busy").orElseThrow().version().number()).isEqualTo(writers * each);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aGenerationRecordKeepsThePresetItUsed() {
        GenerationRecord plain = StorageFixtures.generation("gen-plain", "k", T0, "0.1");
        GenerationRecord withPreset = withPreset(StorageFixtures.generation("gen-preset", "k", T0, "0.1"), "p-1");

        storage.generations().insertAll(List.of(plain, withPreset));

        assertThat(storage.generations().find("gen-preset")).contains(withPreset);
        assertThat(storage.generations().find("gen-plain").orElseThrow().presetId())
                .isEmpty();
    }

    private NewPresetVersion version(String slug, String config, Instant at) {
        return new NewPresetVersion(
                slug, "p-" + slug, "v-" + ids.incrementAndGet(), Optional.empty(), config, CREATOR, at);
    }

    private static GenerationRecord withPreset(GenerationRecord r, String presetId) {
        return new GenerationRecord(
                r.id(),
                r.createdAt(),
                r.keyHash(),
                r.model(),
                r.providerSlug(),
                r.providerName(),
                r.upstreamId(),
                r.streamed(),
                r.cancelled(),
                r.finishReason(),
                r.nativeFinishReason(),
                r.tokensPrompt(),
                r.tokensCompletion(),
                r.tokensCached(),
                r.tokensReasoning(),
                r.cost(),
                r.latencyMs(),
                r.generationMs(),
                r.ttftMs(),
                r.httpReferer(),
                r.appTitle(),
                r.user(),
                r.status(),
                r.errorType(),
                r.usageEstimated(),
                r.attempts(),
                Optional.of(presetId));
    }
}
