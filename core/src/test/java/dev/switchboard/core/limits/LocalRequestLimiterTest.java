package dev.switchboard.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The limiter of one node on a clock the test moves: request and token rates of keys and workspaces
 * (windows that refill, what a refusal says), and the free models' limits (the clock minute, the UTC day,
 * the daily limit that rises once 10 credits were granted, plans with paid fallbacks).
 */
class LocalRequestLimiterTest {
    private static final Instant NOON = Instant.parse("2026-12-07T12:00:00Z");
    private static final Provider PROVIDER =
            Provider.openAi("mock", "Mock", URI.create("http://127.0.0.1:1/v1"), "k", MaxTokensField.AS_SENT);
    private static final Model PAID = model("acme/paid", Pricing.of("0.000001", "0.000002"));
    private static final Model FREE_VARIANT = model("acme/paid:free", Pricing.of("0.000001", "0.000002"));
    private static final Model ALL_ENDPOINTS_FREE = model("acme/gratis", Pricing.FREE);
    /** 40 bytes of text: 10 tokens by length, plus 4 for the message. */
    private static final ChatRequest REQUEST = ChatRequest.builder("acme/paid")
            .messages(List.of(Message.text(Role.USER, "x".repeat(40))))
            .build();

    private static final long PROMPT_TOKENS = 14;

    private final MovableClock clock = new MovableClock(NOON);
    private final LedgerInMemory ledger = new LedgerInMemory();
    private final GrantedCredits granted = new GrantedCredits(ledger, clock);

    private LocalRequestLimiter limiter(RateLimit perWorkspace) {
        return new LocalRequestLimiter(clock, new TokenEstimator(), perWorkspace, Optional.of(granted));
    }

    private static ApiKey key(String name, RateLimit rateLimit) {
        return new ApiKey(
                        name,
                        name,
                        "sk-...",
                        false,
                        false,
                        Instant.EPOCH,
                        Instant.EPOCH,
                        ApiKey.DEFAULT_WORKSPACE,
                        ApiKey.Spending.UNLIMITED)
                .withRateLimit(rateLimit, Instant.EPOCH);
    }

    private static RateLimit requests(long perMinute) {
        return new RateLimit(OptionalLong.of(perMinute), OptionalLong.empty());
    }

    private static RateLimit tokens(long perMinute) {
        return new RateLimit(OptionalLong.empty(), OptionalLong.of(perMinute));
    }

    @Test
    void aKeyWithoutLimitsIsNeverRefused() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", RateLimit.NONE);

        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.admit(key, REQUEST)).isSameAs(Admission.NONE);
        }
    }

    @Test
    void aKeysRequestRateRefusesWithOpenRoutersShapeAndRollsOver() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", requests(3));
        for (int i = 0; i < 3; i++) {
            limiter.admit(key, REQUEST);
        }

        assertThatThrownBy(() -> limiter.admit(key, REQUEST)).isInstanceOfSatisfying(RateLimitExceeded.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.getMessage())
                    .isEqualTo("Rate limit exceeded: key-requests-per-min."
                            + " This API key may start 3 requests per minute.");
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
            assertThat(e.headers())
                    .containsEntry("X-RateLimit-Limit", "3")
                    .containsEntry("X-RateLimit-Remaining", "0")
                    .containsEntry(
                            "X-RateLimit-Reset",
                            Long.toString(NOON.plusSeconds(20).toEpochMilli()));
            assertThat(e.metadata()).containsEntry("headers", e.headers());
        });

        clock.advance(Duration.ofSeconds(20));
        limiter.admit(key, REQUEST);
        assertThatThrownBy(() -> limiter.admit(key, REQUEST)).isInstanceOf(RateLimitExceeded.class);

        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            limiter.admit(key, REQUEST);
        }
        assertThatThrownBy(() -> limiter.admit(key, REQUEST)).isInstanceOf(RateLimitExceeded.class);
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", requests(7));
        for (int i = 0; i < 7; i++) {
            limiter.admit(key, REQUEST);
        }

        assertThatThrownBy(() -> limiter.admit(key, REQUEST))
                .isInstanceOfSatisfying(
                        RateLimitExceeded.class,
                        e -> assertThat(e.retryAfter()).as("60/7 s is 8.57 s").contains(Duration.ofSeconds(9)));
    }

    @Test
    void aKeysTokenRateCountsTheEstimateAtAdmissionAndTheActualTokensAtSettlement() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", tokens(6_000));

        Admission first = limiter.admit(key, REQUEST);
        first.settle(6_000);
        assertThatThrownBy(() -> limiter.admit(key, REQUEST))
                .as("the settled tokens fill the minute")
                .isInstanceOfSatisfying(RateLimitExceeded.class, e -> {
                    assertThat(e.getMessage())
                            .isEqualTo("Rate limit exceeded: key-tokens-per-min."
                                    + " This API key may use 6000 tokens per minute.");
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                });

        clock.advance(Duration.ofSeconds(30));
        Admission second = limiter.admit(key, REQUEST);
        second.settle(PROMPT_TOKENS);
        limiter.admit(key, REQUEST).settle(0);
        assertThat(limiter.admit(key, REQUEST)).isNotSameAs(Admission.NONE);
    }

    @Test
    void tokensEstimatedForARequestThatNeverRanAreGivenBack() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", tokens(PROMPT_TOKENS));

        limiter.admit(key, REQUEST).settle(0);

        limiter.admit(key, REQUEST);
        assertThatThrownBy(() -> limiter.admit(key, REQUEST)).isInstanceOf(RateLimitExceeded.class);
    }

    @Test
    void aWorkspaceRateIsSharedByItsKeysAndItsRefusalGivesTheKeysCountBack() {
        LocalRequestLimiter limiter = limiter(requests(2));
        ApiKey one = key("one", requests(1));
        ApiKey two = key("two", RateLimit.NONE);
        limiter.admit(two, REQUEST);
        limiter.admit(two, REQUEST);

        assertThatThrownBy(() -> limiter.admit(one, REQUEST))
                .isInstanceOfSatisfying(
                        RateLimitExceeded.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo("Rate limit exceeded: workspace-requests-per-min."
                                        + " This workspace may start 2 requests per minute."));

        clock.advance(Duration.ofSeconds(30));
        limiter.admit(one, REQUEST); // refused by the key itself had the workspace's refusal kept its count
        assertThatThrownBy(() -> limiter.admit(two, REQUEST)).isInstanceOf(RateLimitExceeded.class);
    }

    @Test
    void aChangedKeyLimitAppliesFromTheNextRequest() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", requests(1));
        limiter.admit(key, REQUEST);
        assertThatThrownBy(() -> limiter.admit(key, REQUEST)).isInstanceOf(RateLimitExceeded.class);

        ApiKey raised = key.withRateLimit(requests(1_000), NOON);
        limiter.admit(raised, REQUEST);
        assertThat(limiter.admit(key.withRateLimit(RateLimit.NONE, NOON), REQUEST))
                .isSameAs(Admission.NONE);
    }

    @Test
    void freeModelsAllowTwentyRequestsPerClockMinute() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", RateLimit.NONE);
        clock.set(NOON.plusSeconds(30));
        RoutePlan plan = plan(FREE_VARIANT);
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.admitPlan(key, plan)).isSameAs(plan);
        }

        assertThatThrownBy(() -> limiter.admitPlan(key, plan)).isInstanceOfSatisfying(RateLimitExceeded.class, e -> {
            assertThat(e.getMessage()).isEqualTo("Rate limit exceeded: free-models-per-min.");
            assertThat(e.headers())
                    .containsEntry("X-RateLimit-Limit", "20")
                    .containsEntry("X-RateLimit-Remaining", "0")
                    .containsEntry(
                            "X-RateLimit-Reset",
                            Long.toString(NOON.plusSeconds(60).toEpochMilli()));
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        });
        assertThat(limiter.freeModelUsage(ApiKey.DEFAULT_WORKSPACE))
                .as("a refused request is not counted against the day")
                .isEqualTo(new FreeModelUsage(50, 30, 20));

        clock.set(NOON.plusSeconds(60));
        assertThat(limiter.admitPlan(key, plan)).isSameAs(plan);
    }

    @Test
    void modelsWhoseEveryEndpointIsFreeCountAsFreeAndPaidOnesDoNot() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", RateLimit.NONE);

        for (int i = 0; i < 20; i++) {
            limiter.admitPlan(key, plan(ALL_ENDPOINTS_FREE));
            limiter.admitPlan(key, plan(PAID));
        }

        assertThatThrownBy(() -> limiter.admitPlan(key, plan(ALL_ENDPOINTS_FREE)))
                .isInstanceOf(RateLimitExceeded.class);
        assertThat(limiter.admitPlan(key, plan(PAID))).isEqualTo(plan(PAID));
    }

    @Test
    void fiftyFreeRequestsPerUtcDayUntilTheWorkspaceWasGrantedTenCredits() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", RateLimit.NONE);
        clock.set(Instant.parse("2026-12-07T23:40:00Z"));
        useFreeModels(limiter, key, 50);

        assertThatThrownBy(() -> limiter.admitPlan(key, plan(FREE_VARIANT)))
                .isInstanceOfSatisfying(RateLimitExceeded.class, e -> {
                    assertThat(e.getMessage())
                            .isEqualTo("Rate limit exceeded: free-models-per-day."
                                    + " Add 10 credits to unlock 1000 free model requests per day");
                    assertThat(e.headers())
                            .containsEntry("X-RateLimit-Limit", "50")
                            .containsEntry(
                                    "X-RateLimit-Reset",
                                    Long.toString(Instant.parse("2026-12-08T00:00:00Z")
                                            .toEpochMilli()));
                    assertThat(e.retryAfter()).contains(Duration.ofMinutes(17));
                });

        clock.set(Instant.parse("2026-12-08T00:00:00Z"));
        assertThat(limiter.freeModelUsage(ApiKey.DEFAULT_WORKSPACE)).isEqualTo(new FreeModelUsage(50, 50, 0));
        assertThat(limiter.admitPlan(key, plan(FREE_VARIANT))).isNotNull();
    }

    @Test
    void theDailyLimitRisesToAThousandAtTenCreditsGrantedInAll() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", RateLimit.NONE);
        grant("a", "9.99");
        ledger.append(entry("refund", CreditEntry.Kind.REFUND, "5"));
        useFreeModels(limiter, key, 50);
        assertThatThrownBy(() -> limiter.admitPlan(key, plan(FREE_VARIANT)))
                .as("refunds are not grants")
                .hasMessageContaining("free-models-per-day.");

        grant("b", "0.01");
        granted.changed(ApiKey.DEFAULT_WORKSPACE);

        assertThat(limiter.freeModelUsage(ApiKey.DEFAULT_WORKSPACE)).isEqualTo(new FreeModelUsage(1000, 950, 50));
        useFreeModels(limiter, key, 950);
        assertThatThrownBy(() -> limiter.admitPlan(key, plan(FREE_VARIANT)))
                .isInstanceOfSatisfying(RateLimitExceeded.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Rate limit exceeded: free-models-per-day-high-balance. ");
                    assertThat(e.headers()).containsEntry("X-RateLimit-Limit", "1000");
                });
    }

    @Test
    void aGrantMadeElsewhereArrivesWithinTheRefreshInterval() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        assertThat(limiter.freeModelUsage(ApiKey.DEFAULT_WORKSPACE).limit()).isEqualTo(50);
        grant("cli", "10");

        assertThat(limiter.freeModelUsage(ApiKey.DEFAULT_WORKSPACE).limit()).isEqualTo(50);
        clock.advance(GrantedCredits.REFRESH);
        assertThat(limiter.freeModelUsage(ApiKey.DEFAULT_WORKSPACE).limit()).isEqualTo(1000);

        int reads = ledger.grantReads.get();
        clock.advance(Duration.ofDays(1));
        limiter.freeModelUsage(ApiKey.DEFAULT_WORKSPACE);
        assertThat(ledger.grantReads.get())
                .as("grants only grow: 10 reached is never read again")
                .isEqualTo(reads);
    }

    @Test
    void aPlanWithPaidFallbacksGoesOnWithoutItsFreeModelsWhenTheyAreLimited() {
        LocalRequestLimiter limiter = limiter(RateLimit.NONE);
        ApiKey key = key("k", RateLimit.NONE);
        useFreeModels(limiter, key, 20);
        RoutePlan mixed = plan(FREE_VARIANT, PAID, ALL_ENDPOINTS_FREE);

        RoutePlan admitted = limiter.admitPlan(key, mixed);

        assertThat(admitted.attempts()).extracting(a -> a.model().id()).containsExactly("acme/paid");
    }

    @Test
    void freeModelLimitsCanBeTurnedOff() {
        LocalRequestLimiter limiter =
                new LocalRequestLimiter(clock, new TokenEstimator(), RateLimit.NONE, Optional.empty());
        ApiKey key = key("k", RateLimit.NONE);

        useFreeModels(limiter, key, 100);

        assertThat(limiter.freeModelUsage(ApiKey.DEFAULT_WORKSPACE)).isEqualTo(FreeModelUsage.UNLIMITED);
    }

    /** Makes {@code requests} free-model requests, each 20 in a clock minute of their own, so that only the day counts. */
    private void useFreeModels(LocalRequestLimiter limiter, ApiKey key, int requests) {
        for (int i = 0; i < requests; i++) {
            if (i % 20 == 0) {
                clock.advance(Duration.ofMinutes(1));
            }
            limiter.admitPlan(key, plan(FREE_VARIANT));
        }
    }

    private void grant(String id, String amount) {
        ledger.append(entry(id, CreditEntry.Kind.GRANT, amount));
    }

    private CreditEntry entry(String id, CreditEntry.Kind kind, String amount) {
        return new CreditEntry(id, ApiKey.DEFAULT_WORKSPACE, kind, new BigDecimal(amount), clock.instant(), "");
    }

    private static RoutePlan plan(Model... models) {
        return new RoutePlan(List.of(models).stream()
                .map(m -> new Attempt(m, m.endpoints().getFirst(), PROVIDER))
                .toList());
    }

    private static Model model(String id, Pricing pricing) {
        Endpoint endpoint = new Endpoint("mock", id, pricing, 8192, 0, "unknown", List.of());
        return new Model(
                id, id, 0, "", 8192, List.of("text"), List.of("text"), "Other", null, List.of(), List.of(endpoint));
    }
}
