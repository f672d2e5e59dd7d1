package dev.switchboard.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.report.ActivityQuery;
import dev.switchboard.core.report.ActivityRow;
import dev.switchboard.core.report.AppIdentity;
import dev.switchboard.core.report.AppUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every backend's {@link ReportStore} must do: activity per UTC day, workspace, key and endpoint,
 * and apps ranked by tokens with their title and categories, both kept up by storing generation records,
 * exactly and once per record. A backend's test extends this class and says how to open a new, empty
 * storage.
 *
 * <p>Packaged in core's test jar with {@link StorageContract}.
 */
public abstract class ReportStoreContract {
    private static final LocalDate NOV_21 = LocalDate.parse("2026-11-21");
    private static final LocalDate NOV_22 = LocalDate.parse("2026-11-22");
    private static final Instant LATE_NOV_21 = Instant.parse("2026-11-21T23:59:59.999Z");
    private static final Instant EARLY_NOV_22 = Instant.parse("2026-11-22T00:00:00Z");

    private Storage storage;
    private final AtomicInteger ids = new AtomicInteger();

    /** A new storage with an up-to-date, empty schema; closed by the contract after each test. */
    protected abstract Storage openStorage();

    @BeforeEach
    void openTheStorage() {
        storage = openStorage();
    }

    @AfterEach
    void closeTheStorage() {
        storage.close();
    }

    @Test
    void activityIsOneRowPerUtcDayWorkspaceKeyAndEndpointWithExactSums() {
        store(
                record("k1", "default", LATE_NOV_21, "acme/chat", "mock", "0.1"),
                record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0.000000000000000001"),
                record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0.2"),
                record("k1", "default", EARLY_NOV_22, "acme/chat", "other", "1"),
                record("k2", "default", EARLY_NOV_22, "acme/chat", "mock", "2"),
                record("k3", "ws-2", EARLY_NOV_22, "acme/chat", "mock", "3"));

        List<ActivityRow> rows = activity(NOV_21, NOV_22, Optional.empty(), Optional.empty());

        assertThat(rows).hasSize(5);
        ActivityRow k1 = only(rows, NOV_22, "k1", "mock");
        assertThat(k1.counts().usage()).isEqualByComparingTo("0.200000000000000001");
        assertThat(k1.counts().requests()).isEqualTo(2);
        assertThat(k1.counts().promptTokens()).isEqualTo(20);
        assertThat(k1.counts().completionTokens()).isEqualTo(40);
        assertThat(k1.counts().reasoningTokens()).isEqualTo(6);
        assertThat(k1.counts().byokUsage()).isZero();
        assertThat(k1.providerName()).isEqualTo("Mock Cloud");
        assertThat(k1.model()).isEqualTo("acme/chat");
        assertThat(only(rows, NOV_21, "k1", "mock").counts().usage()).isEqualByComparingTo("0.1");
        assertThat(only(rows, NOV_22, "k3", "mock").workspaceId()).isEqualTo("ws-2");
    }

    @Test
    void activityIsFilteredByDaysWorkspaceAndKey() {
        store(
                record("k1", "default", LATE_NOV_21, "acme/chat", "mock", "0.1"),
                record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0.2"),
                record("k2", "default", EARLY_NOV_22, "acme/chat", "mock", "2"),
                record("k3", "ws-2", EARLY_NOV_22, "acme/chat", "mock", "3"));

        assertThat(activity(NOV_22, NOV_22, Optional.empty(), Optional.empty()))
                .extracting(ActivityRow::keyHash)
                .containsExactlyInAnyOrder("k1", "k2", "k3");
        assertThat(activity(NOV_21, NOV_22, Optional.of("ws-2"), Optional.empty()))
                .extracting(ActivityRow::keyHash)
                .containsExactly("k3");
        assertThat(activity(NOV_21, NOV_22, Optional.empty(), Optional.of("k1")))
                .extracting(ActivityRow::date)
                .containsExactlyInAnyOrder(NOV_21, NOV_22);
        assertThat(activity(NOV_21, NOV_21, Optional.of("default"), Optional.of("k2")))
                .isEmpty();
    }

    @Test
    void aRecordThatReachedNoProviderIsNoActivity() {
        store(record("k1", "default", EARLY_NOV_22, "acme/unknown", "", "0"));

        assertThat(activity(NOV_22, NOV_22, Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void byokRecordsAddWhatTheProviderChargedToTheByokUsage() {
        GenerationRecord plain = record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0.5");
        GenerationRecord byok = withByok(record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0.01"), "0.2");
        store(plain, byok);

        ActivityRow row = only(activity(NOV_22, NOV_22, Optional.empty(), Optional.empty()), NOV_22, "k1", "mock");

        assertThat(row.counts().usage()).isEqualByComparingTo("0.51");
        assertThat(row.counts().byokUsage()).isEqualByComparingTo("0.2");
    }

    @Test
    void storingAStoredRecordAgainAddsNothingToTheReports() {
        GenerationRecord once =
                app(record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0.3"), "https://a.example", "A");
        store(once);
        store(once, once);

        assertThat(only(activity(NOV_22, NOV_22, Optional.empty(), Optional.empty()), NOV_22, "k1", "mock")
                        .counts()
                        .requests())
                .isEqualTo(1);
        assertThat(storage.reports().apps(NOV_22, NOV_22, 10))
                .singleElement()
                .extracting(AppUsage::requests)
                .isEqualTo(1L);
    }

    @Test
    void appsAreRankedByTokensOverTheDaysAskedForWithTheirLastTitle() {
        GenerationRecord big = record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0");
        store(
                app(withTokens(big, 1000, 1), "https://big.example/", "Big"),
                app(record("k2", "default", LATE_NOV_21, "acme/chat", "mock", "0"), "https://small.example", "Old"),
                app(record("k2", "default", LATE_NOV_21, "acme/chat", "mock", "0"), "https://small.example", "Older"),
                app(record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0"), "https://small.example", "Small"),
                app(record("k2", "default", EARLY_NOV_22, "acme/chat", "mock", "0"), "HTTPS://Small.Example/", null));

        List<AppUsage> ranking = storage.reports().apps(NOV_21, NOV_22, 10);

        assertThat(ranking).extracting(AppUsage::app).containsExactly("https://big.example", "https://small.example");
        assertThat(ranking.get(0).totalTokens()).isEqualTo(1001);
        AppUsage small = ranking.get(1);
        assertThat(small.requests()).isEqualTo(4);
        assertThat(small.promptTokens()).isEqualTo(40);
        assertThat(small.completionTokens()).isEqualTo(80);
        assertThat(small.title())
                .as("a request without a title keeps the last one")
                .contains("Small");
        assertThat(storage.reports().apps(NOV_21, NOV_21, 10))
                .singleElement()
                .satisfies(app -> assertThat(app.requests()).isEqualTo(2));
        assertThat(storage.reports().apps(NOV_21, NOV_22, 1))
                .extracting(AppUsage::app)
                .containsExactly("https://big.example");
    }

    @Test
    void aRecordWithoutARefererOrFromLocalhostWithoutATitleIsNoApp() {
        store(
                record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0"),
                app(record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0"), null, "Title only"),
                app(record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0"), "http://localhost:3000", null),
                app(record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0"), "http://localhost:5173", "Dev"));

        assertThat(storage.reports().apps(NOV_22, NOV_22, 10))
                .extracting(AppUsage::app)
                .containsExactly("http://localhost:5173");
    }

    @Test
    void anAppKeepsTheFirstTenCategoriesItWasGiven() {
        List<GenerationRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            GenerationRecord r = app(
                    record("k1", "default", EARLY_NOV_22, "acme/chat", "mock", "0"), "https://cats.example", "Cats");
            records.add(withCategories(r, List.of("cat-" + i, "cat-" + (i + 1))));
        }
        store(records.subList(0, 3).toArray(GenerationRecord[]::new));
        store(records.subList(3, 10).toArray(GenerationRecord[]::new));

        assertThat(storage.reports().apps(NOV_22, NOV_22, 10))
                .singleElement()
                .satisfies(app -> assertThat(app.categories())
                        .hasSize(AppIdentity.MAX_CATEGORIES)
                        .containsExactly(
                                "cat-0", "cat-1", "cat-2", "cat-3", "cat-4", "cat-5", "cat-6", "cat-7", "cat-8",
                                "cat-9"));
    }

    private void store(GenerationRecord... records) {
        storage.generations().insertAll(List.of(records));
    }

    private List<ActivityRow> activity(
            LocalDate first, LocalDate last, Optional<String> workspace, Optional<String> key) {
        return storage.reports().activity(new ActivityQuery(first, last, workspace, key));
    }

    private static ActivityRow only(List<ActivityRow> rows, LocalDate date, String key, String provider) {
        List<ActivityRow> matching = rows.stream()
                .filter(r -> r.date().equals(date)
                        && r.keyHash().equals(key)
                        && r.providerSlug().equals(provider))
                .toList();
        assertThat(matching).hasSize(1);
        return matching.getFirst();
    }

    /** A record with 10 prompt, 20 completion and 3 reasoning tokens. */
    private GenerationRecord record(
            String key, String workspace, Instant at, String model, String provider, String cost) {
        return new GenerationRecord(
                "gen-" + ids.incrementAndGet(),
                at,
                key,
                model,
                provider,
                provider.isEmpty() ? "" : provider.equals("mock") ? "Mock Cloud" : "Other Cloud",
                "up",
                false,
                false,
                "stop",
                "stop",
                10,
                20,
                0,
                3,
                new BigDecimal(cost),
                100,
                80,
                20,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                200,
                Optional.empty(),
                false,
                List.of(),
                Optional.empty(),
                workspace,
                List.of(),
                false,
                Optional.empty(),
                Optional.empty());
    }

    private static GenerationRecord app(GenerationRecord r, String referer, String title) {
        return copy(
                r,
                Optional.ofNullable(referer),
                Optional.ofNullable(title),
                r.appCategories(),
                r.tokensPrompt(),
                r.tokensCompletion(),
                r.byok(),
                r.upstreamInferenceCost());
    }

    private static GenerationRecord withCategories(GenerationRecord r, List<String> categories) {
        return copy(
                r,
                r.httpReferer(),
                r.appTitle(),
                categories,
                r.tokensPrompt(),
                r.tokensCompletion(),
                r.byok(),
                r.upstreamInferenceCost());
    }

    private static GenerationRecord withTokens(GenerationRecord r, long prompt, long completion) {
        return copy(
                r,
                r.httpReferer(),
                r.appTitle(),
                r.appCategories(),
                prompt,
                completion,
                r.byok(),
                r.upstreamInferenceCost());
    }

    private static GenerationRecord withByok(GenerationRecord r, String upstreamCost) {
        return copy(
                r,
                r.httpReferer(),
                r.appTitle(),
                r.appCategories(),
                r.tokensPrompt(),
                r.tokensCompletion(),
                true,
                Optional.of(new BigDecimal(upstreamCost)));
    }

    private static GenerationRecord copy(
            GenerationRecord r,
            Optional<String> referer,
            Optional<String> title,
            List<String> categories,
            long prompt,
            long completion,
            boolean byok,
            Optional<BigDecimal> upstreamCost) {
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
                prompt,
                completion,
                r.tokensCached(),
                r.tokensReasoning(),
                r.cost(),
                r.latencyMs(),
                r.generationMs(),
                r.ttftMs(),
                referer,
                title,
                r.user(),
                r.status(),
                r.errorType(),
                r.usageEstimated(),
                r.attempts(),
                r.presetId(),
                r.workspaceId(),
                categories,
                byok,
                upstreamCost,
                r.cacheDiscount());
    }
}
