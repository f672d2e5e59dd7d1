package dev.switchboard.core.storage;

import static dev.switchboard.core.storage.StorageFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.byok.ByokKey;
import dev.switchboard.core.byok.SealedSecret;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.storage.StorageFixtures.Periods;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every backend's {@link ByokStore} must do: keep a credential's settings and its sealed secret
 * byte for byte, replace and delete it by id; and what its generation store must keep of BYOK requests:
 * their list-price cost per key, apart from what credits were charged. A backend's test extends this
 * class and says how to open a new, empty storage.
 *
 * <p>Packaged in core's test jar with {@link StorageContract}.
 */
public abstract class ByokStoreContract {
    private Storage storage;
    private ByokStore store;

    /** A new storage with an up-to-date, empty schema; closed by the contract after each test. */
    protected abstract Storage openStorage();

    @BeforeEach
    void openTheStorage() {
        storage = openStorage();
        store = storage.byokKeys();
    }

    @AfterEach
    void closeTheStorage() {
        storage.close();
    }

    @Test
    void keepsEveryFieldAndTheSealedSecretByteForByte() {
        ByokKey key = key("11111111-2222-3333-4444-555555555555", T0, Optional.of(List.of("acme/chat", "acme/big")));

        store.insert(key);

        ByokKey read = store.all().getFirst();
        assertThat(read).usingRecursiveComparison().ignoringFields("sealed").isEqualTo(key);
        assertThat(read.sealed().masterKeyId()).isEqualTo("0123456789abcdef");
        assertThat(read.sealed().nonce()).containsExactly(key.sealed().nonce());
        assertThat(read.sealed().ciphertext()).containsExactly(key.sealed().ciphertext());
    }

    @Test
    void tellsNoAllowlistFromAnEmptyOne() {
        store.insert(key("a", T0, Optional.empty()));
        store.insert(key("b", T0.plusSeconds(1), Optional.of(List.of())));

        assertThat(store.all())
                .extracting(ByokKey::allowedModels)
                .containsExactly(Optional.empty(), Optional.of(List.of()));
    }

    @Test
    void listsOldestFirstAndReplacesAndDeletesById() {
        store.insert(key("later", T0.plusSeconds(10), Optional.empty()));
        store.insert(key("earlier", T0, Optional.empty()));
        ByokKey earlier = store.all().get(0);
        ByokKey renamed = new ByokKey(
                earlier.id(),
                earlier.workspaceId(),
                earlier.provider(),
                Optional.empty(),
                "...wxyz",
                true,
                false,
                true,
                7,
                Optional.empty(),
                Optional.empty(),
                earlier.createdAt(),
                T0.plusSeconds(60),
                new SealedSecret("fedcba9876543210", new byte[12], new byte[] {9, 9, 9}));

        assertThat(store.all()).extracting(ByokKey::id).containsExactly("earlier", "later");
        assertThat(store.update(renamed)).isTrue();
        assertThat(store.all().get(0))
                .usingRecursiveComparison()
                .ignoringFields("sealed")
                .isEqualTo(renamed);
        assertThat(store.all().get(0).sealed().masterKeyId()).isEqualTo("fedcba9876543210");
        assertThat(store.delete("earlier")).isTrue();
        assertThat(store.delete("earlier")).isFalse();
        assertThat(store.update(renamed)).isFalse();
        assertThat(store.all()).extracting(ByokKey::id).containsExactly("later");
    }

    @Test
    void sumsWhatByokRequestsCostAtListPriceApartFromWhatCreditsWereCharged() {
        Periods p = Periods.of(Instant.parse("2025-03-19T15:00:00Z"));
        storage.generations()
                .insertAll(List.of(
                        byok("b1", p.day().plusSeconds(60), "0.05", "1"),
                        byok("b2", p.month().plusSeconds(60), "0.000005", "0.0001"),
                        StorageFixtures.generation("shared", "k", p.day().plusSeconds(90), "2")));

        UsageTotals credits = storage.generations().usage("k", p.day(), p.week(), p.month());
        UsageTotals byok = storage.generations().byokUsage("k", p.day(), p.week(), p.month());

        assertThat(credits.daily()).isEqualByComparingTo("2.05");
        assertThat(credits.total()).isEqualByComparingTo("2.050005");
        assertThat(byok.daily()).isEqualByComparingTo("1");
        assertThat(byok.monthly()).isEqualByComparingTo("1.0001");
        assertThat(byok.total().toPlainString()).isEqualTo("1.0001");
        assertThat(storage.generations().find("b1")).hasValueSatisfying(r -> {
            assertThat(r.byok()).isTrue();
            assertThat(r.upstreamInferenceCost()).hasValue(new BigDecimal("1"));
        });
    }

    private static GenerationRecord byok(String id, Instant at, String fee, String listPrice) {
        GenerationRecord r = StorageFixtures.generation(id, "k", at, fee);
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
                r.presetId(),
                r.workspaceId(),
                r.appCategories(),
                true,
                Optional.of(new BigDecimal(listPrice)),
                Optional.empty());
    }

    private static ByokKey key(String id, Instant createdAt, Optional<List<String>> models) {
        return new ByokKey(
                id,
                "default",
                "openai",
                Optional.of("Production OpenAI Key"),
                "sk-...AbCd",
                false,
                true,
                false,
                3,
                models,
                Optional.of(List.of("f".repeat(64))),
                createdAt,
                createdAt.plusSeconds(1),
                new SealedSecret("0123456789abcdef", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new byte[] {
                    0, -1, 127, -128, 42
                }));
    }
}
