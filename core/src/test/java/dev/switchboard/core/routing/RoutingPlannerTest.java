package dev.switchboard.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.DataPolicy;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.routing.health.AttemptOutcome;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.core.routing.health.EndpointKey;
import dev.switchboard.core.routing.health.HealthSnapshot;
import dev.switchboard.core.routing.health.Percentiles;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.MaxPrice;
import dev.switchboard.model.chat.MediaSource;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.PercentileThresholds;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.RouteSort;
import dev.switchboard.model.chat.Tool;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RoutingPlannerTest {
    private static final Provider CHEAP = provider("cheap", Optional.empty());
    private static final Provider MIDDLE = provider("middle", Optional.empty());
    private static final Provider PRICEY = provider("pricey", Optional.empty());
    private static final Provider LOCKED = provider("locked", Optional.of("no API key (set LOCKED_API_KEY)"));
    private static final Provider OFF = provider("off", Optional.of("disabled in the configuration"));

    /** Endpoints deliberately not in price order: pricey, cheap (locked), middle, cheap, off. */
    private static final Model CHAT = model(
            "acme/chat",
            endpoint("pricey", "0.00001", "0.00003"),
            endpoint("locked", "0", "0"),
            endpoint("middle", "0.000002", "0.000006"),
            endpoint("cheap", "0.000001", "0.000003"),
            endpoint("off", "0", "0"));

    private static final Model UNUSABLE =
            model("acme/unusable", endpoint("locked", "0.000001", "0.000001"), endpoint("off", "0.000001", "0.000001"));
    private static final Model TIED = model(
            "acme/tied",
            endpoint("middle", "0.000002", "0.000002"),
            endpoint("pricey", "0.000001", "0.000003"),
            endpoint("cheap", "0.000003", "0.000001"));

    private final Catalog catalog =
            new Catalog(List.of(CHEAP, MIDDLE, PRICEY, LOCKED, OFF), List.of(CHAT, UNUSABLE, TIED));
    /** Load balancing's draw always lands on the cheapest endpoint, so the plan is cheapest first. */
    private static final RandomGenerator LOWEST_DRAW = () -> 0L;

    private final RoutingPlanner planner = new RoutingPlanner(() -> catalog, EndpointHealth.NONE, () -> LOWEST_DRAW);

    @Test
    void choosesTheCheapestEndpointOfAnAvailableProvider() {
        Attempt attempt =
                planner.plan(request("acme/chat", ProviderPreferences.NONE)).first();

        assertThat(attempt.provider()).isSameAs(CHEAP);
        assertThat(attempt.endpoint()).isSameAs(CHAT.endpoints().get(3));
        assertThat(attempt.model()).isSameAs(CHAT);
    }

    @Test
    void plansEveryAvailableEndpointCheapestFirstAsFallbacks() {
        assertThat(planner.plan(request("acme/chat", ProviderPreferences.NONE)).attempts())
                .extracting(Attempt::provider)
                .containsExactly(CHEAP, MIDDLE, PRICEY);
    }

    @Test
    void breaksPriceTiesByCatalogOrder() {
        assertThat(planner.plan(request("acme/tied", ProviderPreferences.NONE))
                        .first()
                        .provider())
                .isSameAs(MIDDLE);
    }

    @Test
    void triesProvidersNamedInOrderFirstWhateverTheirPrice() {
        assertThat(planner.plan(request("acme/chat", prefs(List.of(), List.of(), List.of("pricey", "middle"))))
                        .first()
                        .provider())
                .isSameAs(PRICEY);
        assertThat(planner.plan(request("acme/chat", prefs(List.of(), List.of(), List.of("middle", "pricey"))))
                        .first()
                        .provider())
                .isSameAs(MIDDLE);
    }

    @Test
    void skipsUnavailableProvidersNamedInOrder() {
        assertThat(planner.plan(request("acme/chat", prefs(List.of(), List.of(), List.of("locked", "middle"))))
                        .first()
                        .provider())
                .isSameAs(MIDDLE);
    }

    @Test
    void orderNamingNoEndpointOfTheModelFallsBackToPrice() {
        assertThat(planner.plan(request("acme/chat", prefs(List.of(), List.of(), List.of("elsewhere"))))
                        .first()
                        .provider())
                .isSameAs(CHEAP);
    }

    @Test
    void onlyRestrictsTheChoice() {
        assertThat(planner.plan(request("acme/chat", prefs(List.of("pricey", "middle"), List.of(), List.of())))
                        .first()
                        .provider())
                .isSameAs(MIDDLE);
    }

    @Test
    void ignoreExcludesProviders() {
        assertThat(planner.plan(request("acme/chat", prefs(List.of(), List.of("cheap"), List.of())))
                        .first()
                        .provider())
                .isSameAs(MIDDLE);
    }

    @Test
    void ignoreWinsOverOnly() {
        assertThat(planner.plan(request("acme/chat", prefs(List.of("cheap", "pricey"), List.of("cheap"), List.of())))
                        .first()
                        .provider())
                .isSameAs(PRICEY);
    }

    @Test
    void unknownModelIsA400ModelNotFound() {
        GatewayException e = rejection(request("acme/nope", ProviderPreferences.NONE));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
        assertThat(e.metadata()).containsEntry("code", "model_not_found").containsEntry("requested_model", "acme/nope");
    }

    @Test
    void onlyMatchingNoEndpointIsA404NoEndpoints() {
        GatewayException e = rejection(request("acme/chat", prefs(List.of("elsewhere"), List.of(), List.of())));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.type()).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(e.metadata()).containsEntry("code", "no_endpoints").containsEntry("requested_model", "acme/chat");
    }

    @Test
    void ignoringEveryEndpointIsA404NoEndpoints() {
        GatewayException e = rejection(request(
                "acme/chat", prefs(List.of(), List.of("cheap", "middle", "pricey", "locked", "off"), List.of())));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.metadata()).containsEntry("code", "no_endpoints");
    }

    @Test
    void onlyUnavailableProvidersLeftIsA503NamingTheReasons() {
        GatewayException e = rejection(request("acme/unusable", ProviderPreferences.NONE));

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.metadata()).containsEntry("code", "no_available_provider");
        assertThat(e.getMessage())
                .contains("locked: no API key (set LOCKED_API_KEY)")
                .contains("off: disabled in the configuration");
    }

    @Test
    void onlyNamingAnUnavailableProviderIsA503() {
        GatewayException e = rejection(request("acme/chat", prefs(List.of("locked"), List.of(), List.of())));

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("LOCKED_API_KEY").doesNotContain("off:");
    }

    @Test
    void readsTheCurrentCatalogOnEveryPlan() {
        AtomicReference<Catalog> current = new AtomicReference<>(catalog);
        RoutingPlanner reloading = new RoutingPlanner(current::get, EndpointHealth.NONE, () -> LOWEST_DRAW);
        assertThat(reloading
                        .plan(request("acme/chat", ProviderPreferences.NONE))
                        .first()
                        .provider())
                .isSameAs(CHEAP);

        current.set(new Catalog(List.of(PRICEY), List.of(model("acme/chat", endpoint("pricey", "1", "1")))));

        assertThat(reloading
                        .plan(request("acme/chat", ProviderPreferences.NONE))
                        .first()
                        .provider())
                .isSameAs(PRICEY);
    }

    // --- filters -------------------------------------------------------------------------------

    private static final Provider FORGET = provider("forget", Optional.empty());
    private static final Provider KEEPER = provider("keeper", Optional.empty());
    private static final Provider TAGGED = provider("tagged", Optional.empty());

    /** Endpoints differing in one property each, to see every filter remove the right one. */
    private static final Model RICH = new Model(
            "acme/rich",
            "Rich",
            0,
            "",
            32_000,
            List.of("text", "image"),
            List.of("text"),
            "Other",
            null,
            List.of("tools", "temperature", "max_tokens"),
            List.of(
                    new Endpoint(
                            "keeper",
                            "k",
                            Pricing.of("0.000001", "0.000002"),
                            32_000,
                            0,
                            "fp16",
                            List.of("tools", "temperature", "max_tokens"),
                            "",
                            new DataPolicy(true, true, false)),
                    new Endpoint(
                            "forget",
                            "f",
                            Pricing.of("0.000003", "0.000004"),
                            8_000,
                            1_000,
                            "fp8",
                            List.of("temperature", "max_tokens"),
                            "",
                            new DataPolicy(false, false, true)),
                    new Endpoint(
                            "tagged",
                            "t1",
                            Pricing.of("0.000002", "0.000002"),
                            32_000,
                            0,
                            "int4",
                            List.of("tools", "temperature", "max_tokens"),
                            "turbo",
                            DataPolicy.UNKNOWN),
                    new Endpoint(
                            "tagged",
                            "t2",
                            Pricing.of("0.000005", "0.000005"),
                            32_000,
                            0,
                            "fp8",
                            List.of("tools", "temperature", "max_tokens"),
                            "eu",
                            new DataPolicy(false, false, false))));

    private static final Model TEXT_ONLY = model("acme/text-only", endpoint("cheap", "0.000001", "0.000001"));

    private final Catalog rich = new Catalog(
            List.of(CHEAP, MIDDLE, PRICEY, LOCKED, OFF, FORGET, KEEPER, TAGGED), List.of(CHAT, RICH, TEXT_ONLY, TIED));
    private final RoutingPlanner richPlanner = new RoutingPlanner(() -> rich, EndpointHealth.NONE, () -> LOWEST_DRAW);

    private List<String> slugs(ChatRequest request) {
        return richPlanner.plan(request).attempts().stream()
                .map(a -> a.endpoint().slug())
                .toList();
    }

    private GatewayException richRejection(ChatRequest request) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> richPlanner.plan(request));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    @Test
    void dataCollectionDenyKeepsEndpointsThatNeitherTrainNorRetain() {
        assertThat(slugs(request(
                        "acme/rich",
                        ProviderPreferences.builder()
                                .dataCollection(ProviderPreferences.DataCollection.DENY)
                                .build())))
                .containsExactly("forget", "tagged/eu");
    }

    @Test
    void zdrKeepsZeroDataRetentionEndpoints() {
        assertThat(slugs(request(
                        "acme/rich", ProviderPreferences.builder().zdr(true).build())))
                .containsExactly("forget");
    }

    @Test
    void onlyDataPoliciesLeftNothingIsA404PrivacyRestricted() {
        GatewayException e = rejection(
                request("acme/chat", ProviderPreferences.builder().zdr(true).build()));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.metadata()).containsEntry("code", "privacy_restricted");
        assertThat(e.availability().orElseThrow().excludedBy()).containsExactly("data_policy:zdr");
        assertThat(e.getMessage()).startsWith("No endpoints found matching your data policy");
    }

    @Test
    void aProviderSlugMatchesEveryEndpointOfItAndAFullSlugOne() {
        assertThat(slugs(request(
                        "acme/rich",
                        ProviderPreferences.builder().only(List.of("tagged")).build())))
                .containsExactly("tagged/turbo", "tagged/eu");
        assertThat(slugs(request(
                        "acme/rich",
                        ProviderPreferences.builder().only(List.of("tagged/eu")).build())))
                .containsExactly("tagged/eu");
        assertThat(slugs(request(
                        "acme/rich",
                        ProviderPreferences.builder()
                                .ignore(List.of("tagged/turbo"))
                                .build())))
                .containsExactly("keeper", "forget", "tagged/eu");
    }

    @Test
    void quantizationsKeepTheListedOnes() {
        assertThat(slugs(request(
                        "acme/rich",
                        ProviderPreferences.builder()
                                .quantizations(List.of("fp8"))
                                .build())))
                .containsExactly("forget", "tagged/eu");
    }

    @Test
    void maxPriceIsPerMillionTokensAndRemovesDearerEndpoints() {
        MaxPrice max = new MaxPrice(
                Optional.of(new BigDecimal("2")),
                Optional.of(new BigDecimal("2")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        assertThat(slugs(request(
                        "acme/rich",
                        ProviderPreferences.builder().maxPrice(Optional.of(max)).build())))
                .containsExactly("keeper", "tagged/turbo");
    }

    @Test
    void maxPriceThatNothingMeetsIsA404ConstraintFiltered() {
        MaxPrice max = new MaxPrice(
                Optional.of(new BigDecimal("0.5")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        GatewayException e = richRejection(request(
                "acme/rich",
                ProviderPreferences.builder().maxPrice(Optional.of(max)).build()));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.metadata()).containsEntry("code", "constraint_filtered");
        assertThat(e.availability().orElseThrow().excludedBy()).containsExactly("max_price");
        assertThat(e.getMessage()).contains("keeper: max_price, prompt costs $1/M");
    }

    @Test
    void requireParametersRemovesEndpointsMissingAnyParameterSent() {
        ChatRequest request =
                request(
                                "acme/rich",
                                ProviderPreferences.builder()
                                        .requireParameters(true)
                                        .build())
                        .toBuilder()
                        .tools(List.of(new Tool.Function(
                                "f",
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Extensions.NONE)))
                        .build();
        assertThat(slugs(request)).containsExactly("keeper", "tagged/turbo", "tagged/eu");
    }

    @Test
    void toolsSteerToEndpointsThatSupportThemWithoutRequireParameters() {
        ChatRequest request = request("acme/rich", ProviderPreferences.NONE).toBuilder()
                .tools(List.of(new Tool.Function(
                        "f", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Extensions.NONE)))
                .build();
        assertThat(slugs(request)).doesNotContain("forget");
    }

    @Test
    void theContextMustHoldThePromptAndMaxTokens() {
        ChatRequest big = request("acme/rich", ProviderPreferences.NONE).toBuilder()
                .messages(List.of(Message.text(Role.USER, "x".repeat(40_000))))
                .contextCompression(Optional.of(false))
                .build();
        assertThat(slugs(big)).doesNotContain("forget"); // about 10,000 tokens against 8,000
        ChatRequest longAnswer = request("acme/rich", ProviderPreferences.NONE).toBuilder()
                .maxTokens(java.util.OptionalLong.of(2_000))
                .build();
        assertThat(slugs(longAnswer)).doesNotContain("forget"); // caps completions at 1,000
    }

    @Test
    void withCompressionAnEndpointWithHalfTheRoomNeededStays() {
        // about 10,000 tokens: forget (8,000, compression on by default at that size) has half the room
        ChatRequest big = request("acme/rich", ProviderPreferences.NONE).toBuilder()
                .messages(List.of(Message.text(Role.USER, "x".repeat(40_000))))
                .build();
        assertThat(slugs(big)).contains("forget");
    }

    @Test
    void withCompressionAndNoEndpointWithHalfTheRoomTheLargestContextIsTried() {
        // about 100,000 tokens: nothing has half the room; compressing for every endpoint, the largest stays
        ChatRequest huge = request("acme/rich", ProviderPreferences.NONE).toBuilder()
                .messages(List.of(Message.text(Role.USER, "x".repeat(400_000))))
                .contextCompression(Optional.of(true))
                .build();
        List<String> planned = slugs(huge);
        assertThat(planned).hasSize(1);
        assertThat(planned.getFirst()).isIn("keeper", "tagged/turbo", "tagged/eu"); // 32,000 each
    }

    @Test
    void aPromptTooLongForEveryEndpointIsA400ContextLengthExceeded() {
        ChatRequest huge = request("acme/rich", ProviderPreferences.NONE).toBuilder()
                .messages(List.of(Message.text(Role.USER, "x".repeat(200_000))))
                .contextCompression(Optional.of(false))
                .build();
        GatewayException e = richRejection(huge);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo(ErrorType.CONTEXT_LENGTH_EXCEEDED);
        assertThat(e.getMessage())
                .startsWith(
                        "This endpoint's maximum context length is 32000 tokens. However, you requested about 50000");
    }

    @Test
    void imagesNeedAModelThatTakesThem() {
        ChatRequest withImage = request("acme/text-only", ProviderPreferences.NONE).toBuilder()
                .messages(List.of(new Message(
                        Role.USER,
                        List.of(new ContentPart.Image(
                                new MediaSource.Url("https://example.com/a.png"),
                                Optional.empty(),
                                Optional.empty(),
                                Extensions.NONE)),
                        Optional.empty(),
                        Extensions.NONE)))
                .build();
        GatewayException e = richRejection(withImage);

        assertThat(e.metadata()).containsEntry("code", "constraint_filtered");
        assertThat(e.availability().orElseThrow().excludedBy()).containsExactly("input_modalities");
    }

    // --- order ---------------------------------------------------------------------------------

    @Test
    void allowFallbacksFalseKeepsOnlyThePrimary() {
        assertThat(planner.plan(request(
                                "acme/chat",
                                ProviderPreferences.builder()
                                        .allowFallbacks(false)
                                        .build()))
                        .attempts())
                .extracting(Attempt::provider)
                .containsExactly(CHEAP);
    }

    @Test
    void allowFallbacksFalseWithOrderKeepsTheListedOnesInOrder() {
        assertThat(planner.plan(request(
                                "acme/chat",
                                ProviderPreferences.builder()
                                        .order(List.of("pricey", "middle"))
                                        .allowFallbacks(false)
                                        .build()))
                        .attempts())
                .extracting(Attempt::provider)
                .containsExactly(PRICEY, MIDDLE);
    }

    @Test
    void orderNamingOnlyUnlistedProvidersWithoutFallbacksIsA404NamingTheOrder() {
        GatewayException e = rejection(request(
                "acme/chat",
                ProviderPreferences.builder()
                        .order(List.of("elsewhere"))
                        .allowFallbacks(false)
                        .build()));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).startsWith("No endpoints found for the request with manual order: elsewhere");
    }

    @Test
    void loadBalancingDrawsThePrimaryWithWeightOneOverPriceSquared() {
        // blended prices 1, 2 and 3 (per token, scaled): weights 1, 1/4, 1/9 -> 36/49, 9/49, 4/49
        Model three = model(
                "acme/three",
                endpoint("pricey", "0.000003", "0"),
                endpoint("cheap", "0.000001", "0"),
                endpoint("middle", "0.000002", "0"));
        Catalog catalog = new Catalog(List.of(CHEAP, MIDDLE, PRICEY), List.of(three));
        java.util.SplittableRandom seeded = new java.util.SplittableRandom(7);
        RoutingPlanner balancing = new RoutingPlanner(() -> catalog, EndpointHealth.NONE, () -> seeded);
        java.util.Map<String, Integer> firsts = new java.util.HashMap<>();
        int plans = 40_000;
        for (int i = 0; i < plans; i++) {
            RoutePlan plan = balancing.plan(request("acme/three", ProviderPreferences.NONE));
            firsts.merge(plan.first().provider().slug(), 1, Integer::sum);
            assertThat(plan.size()).isEqualTo(3);
        }
        assertThat(firsts.get("cheap") / (double) plans).isCloseTo(36 / 49.0, within(0.01));
        assertThat(firsts.get("middle") / (double) plans).isCloseTo(9 / 49.0, within(0.01));
        assertThat(firsts.get("pricey") / (double) plans).isCloseTo(4 / 49.0, within(0.01));
    }

    @Test
    void theRestFollowCheapestFirstAfterTheDrawnPrimary() {
        java.util.SplittableRandom seeded = new java.util.SplittableRandom(3);
        RoutingPlanner balancing = new RoutingPlanner(() -> catalog, EndpointHealth.NONE, () -> seeded);
        for (int i = 0; i < 200; i++) {
            List<Provider> order = balancing.plan(request("acme/chat", ProviderPreferences.NONE)).attempts().stream()
                    .map(Attempt::provider)
                    .toList();
            List<Provider> rest = new java.util.ArrayList<>(List.of(CHEAP, MIDDLE, PRICEY));
            rest.remove(order.getFirst());
            assertThat(order.subList(1, 3)).containsExactlyElementsOf(rest);
        }
    }

    @Test
    void aRecentOutageMovesAnEndpointBehindTheStableOnes() {
        HealthStub health = new HealthStub();
        health.outage("acme/chat", "cheap");
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, () -> LOWEST_DRAW);

        assertThat(planner.plan(request("acme/chat", ProviderPreferences.NONE)).attempts())
                .extracting(Attempt::provider)
                .containsExactly(MIDDLE, PRICEY, CHEAP);
    }

    @Test
    void aHalfOpenEndpointWhoseProbeThisRequestWinsGoesFirst() {
        HealthStub health = new HealthStub();
        health.halfOpen("acme/chat", "pricey");
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, () -> LOWEST_DRAW);

        assertThat(planner.plan(request("acme/chat", ProviderPreferences.NONE)).attempts())
                .extracting(Attempt::provider)
                .containsExactly(PRICEY, CHEAP, MIDDLE);
        // the probe is taken: the next request sees it as unstable
        assertThat(planner.plan(request("acme/chat", ProviderPreferences.NONE)).attempts())
                .extracting(Attempt::provider)
                .containsExactly(CHEAP, MIDDLE, PRICEY);
    }

    @Test
    void sortByThroughputPutsTheFastestFirstAndUnmeasuredLast() {
        HealthStub health = new HealthStub();
        health.measured("acme/chat", "pricey", 0.5, 90);
        health.measured("acme/chat", "middle", 0.2, 40);
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, () -> LOWEST_DRAW);
        ProviderPreferences byThroughput = ProviderPreferences.builder()
                .sort(Optional.of(new RouteSort(RouteSort.By.THROUGHPUT, RouteSort.Partition.MODEL)))
                .build();
        ProviderPreferences byLatency = ProviderPreferences.builder()
                .sort(Optional.of(new RouteSort(RouteSort.By.LATENCY, RouteSort.Partition.MODEL)))
                .build();

        assertThat(planner.plan(request("acme/chat", byThroughput)).attempts())
                .extracting(Attempt::provider)
                .containsExactly(PRICEY, MIDDLE, CHEAP);
        assertThat(planner.plan(request("acme/chat", byLatency)).attempts())
                .extracting(Attempt::provider)
                .containsExactly(MIDDLE, PRICEY, CHEAP);
    }

    @Test
    void preferredMinThroughputMovesSlowEndpointsBackWithoutRemovingThem() {
        HealthStub health = new HealthStub();
        health.measured("acme/chat", "cheap", 0.2, 10);
        health.measured("acme/chat", "middle", 0.2, 80);
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, () -> LOWEST_DRAW);

        assertThat(planner.plan(request(
                                "acme/chat",
                                ProviderPreferences.builder()
                                        .preferredMinThroughput(Optional.of(PercentileThresholds.p50(50)))
                                        .build()))
                        .attempts())
                .extracting(Attempt::provider)
                .containsExactly(MIDDLE, PRICEY, CHEAP);
    }

    // --- sticky routing --------------------------------------------------------------------------

    @Test
    void aConversationGoesBackToTheEndpointOfItsLastTurn() {
        dev.switchboard.core.routing.sticky.LocalStickyRoutes sticky =
                new dev.switchboard.core.routing.sticky.LocalStickyRoutes(() -> 0L, 100);
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, EndpointHealth.NONE, sticky, () -> LOWEST_DRAW);
        ChatRequest turn = request("acme/chat", ProviderPreferences.NONE);
        RoutePlan first = planner.plan(turn, "caller");
        assertThat(first.first().provider()).isSameAs(CHEAP);
        assertThat(first.conversation()).isPresent();

        sticky.answered(
                new dev.switchboard.core.routing.sticky.StickyRoutes.StickyKey(
                        "caller", "acme/chat", first.conversation().get().hash()),
                "pricey");

        assertThat(planner.plan(turn, "caller").attempts())
                .extracting(Attempt::provider)
                .containsExactly(PRICEY, CHEAP, MIDDLE);
        assertThat(planner.plan(turn, "someone else").first().provider()).isSameAs(CHEAP);
        assertThat(planner.plan(
                                turn.toBuilder()
                                        .provider(ProviderPreferences.builder()
                                                .order(List.of("middle"))
                                                .build())
                                        .build(),
                                "caller")
                        .first()
                        .provider())
                .as("an explicit order decides")
                .isSameAs(MIDDLE);
    }

    @Test
    void aStickyEndpointInAnOutageIsNotPutFirst() {
        dev.switchboard.core.routing.sticky.LocalStickyRoutes sticky =
                new dev.switchboard.core.routing.sticky.LocalStickyRoutes(() -> 0L, 100);
        HealthStub health = new HealthStub();
        health.outage("acme/chat", "pricey");
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, sticky, () -> LOWEST_DRAW);
        ChatRequest turn = request("acme/chat", ProviderPreferences.NONE);
        long conversation =
                planner.plan(turn, "caller").conversation().orElseThrow().hash();
        sticky.answered(
                new dev.switchboard.core.routing.sticky.StickyRoutes.StickyKey("caller", "acme/chat", conversation),
                "pricey");

        assertThat(planner.plan(turn, "caller").first().provider()).isSameAs(CHEAP);
    }

    // --- variants ------------------------------------------------------------------------------

    @Test
    void nitroSortsTheModelsEndpointsByThroughputAndFloorByPrice() {
        HealthStub health = new HealthStub();
        health.measured("acme/chat", "pricey", 0.5, 90);
        health.measured("acme/chat", "middle", 0.2, 40);
        java.util.SplittableRandom seeded = new java.util.SplittableRandom(11);
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, () -> seeded);

        assertThat(planner.plan(request("acme/chat:nitro", ProviderPreferences.NONE))
                        .attempts())
                .extracting(Attempt::provider)
                .containsExactly(PRICEY, MIDDLE, CHEAP);
        for (int i = 0; i < 50; i++) {
            assertThat(planner.plan(request("acme/chat:floor", ProviderPreferences.NONE))
                            .attempts())
                    .extracting(Attempt::provider)
                    .containsExactly(CHEAP, MIDDLE, PRICEY);
        }
        assertThat(planner.plan(request("acme/chat:nitro", ProviderPreferences.NONE))
                        .first()
                        .model())
                .as("the catalog's model, which the response and billing name")
                .isSameAs(CHAT);
    }

    @Test
    void anExplicitSortWinsOverTheVariant() {
        HealthStub health = new HealthStub();
        health.measured("acme/chat", "pricey", 0.5, 90);
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, () -> LOWEST_DRAW);
        ProviderPreferences byPrice = ProviderPreferences.builder()
                .sort(Optional.of(new RouteSort(RouteSort.By.PRICE, RouteSort.Partition.MODEL)))
                .build();

        assertThat(planner.plan(request("acme/chat:nitro", byPrice)).first().provider())
                .isSameAs(CHEAP);
    }

    @Test
    void anUnknownVariantIsAnUnknownModel() {
        assertThat(rejection(request("acme/chat:turbo", ProviderPreferences.NONE))
                        .metadata())
                .containsEntry("code", "model_not_found");
    }

    // --- routers and aliases ---------------------------------------------------------------------

    private static Model dated(String id, long created, List<String> input, List<String> parameters, Endpoint... e) {
        return new Model(id, id, created, "", 8192, input, List.of("text"), "Other", null, parameters, List.of(e));
    }

    private final Catalog family = new Catalog(
            List.of(CHEAP, MIDDLE),
            List.of(
                    dated("acme/opus-4", 100, List.of("text"), List.of(), endpoint("cheap", "0.000001", "0.000001")),
                    dated("acme/opus-5", 300, List.of("text"), List.of(), endpoint("cheap", "0.000001", "0.000001")),
                    dated("acme/opus-5:free", 400, List.of("text"), List.of("tools"), endpoint("cheap", "0", "0")),
                    dated("acme/opusculum", 500, List.of("text"), List.of(), endpoint("cheap", "0.000001", "0.000001")),
                    dated(
                            "acme/see:free",
                            200,
                            List.of("text", "image"),
                            List.of("max_tokens"),
                            endpoint("middle", "0", "0"))));

    @Test
    void aLatestAliasIsTheFamilysNewestModelLeavingOutVariantsAndOtherFamilies() {
        RoutingPlanner planner = new RoutingPlanner(() -> family, EndpointHealth.NONE, () -> LOWEST_DRAW);

        assertThat(planner.plan(request("~acme/opus-latest", ProviderPreferences.NONE))
                        .first()
                        .model()
                        .id())
                .isEqualTo("acme/opus-5");
        assertThat(rejection(planner, request("~acme/nothing-latest", ProviderPreferences.NONE))
                        .metadata())
                .containsEntry("code", "model_not_found");
    }

    @Test
    void theFreeRouterDrawsAFreeModelThatTakesWhatTheRequestNeeds() {
        java.util.SplittableRandom seeded = new java.util.SplittableRandom(5);
        RoutingPlanner planner = new RoutingPlanner(() -> family, EndpointHealth.NONE, () -> seeded);
        java.util.Set<String> drawn = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            drawn.add(planner.plan(request("openrouter/free", ProviderPreferences.NONE))
                    .first()
                    .model()
                    .id());
        }
        assertThat(drawn).containsExactlyInAnyOrder("acme/opus-5:free", "acme/see:free");

        ChatRequest withTools = request("switchboard/free", ProviderPreferences.NONE).toBuilder()
                .tools(List.of(new Tool.Function(
                        "f", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Extensions.NONE)))
                .build();
        for (int i = 0; i < 20; i++) {
            assertThat(planner.plan(withTools).first().model().id()).isEqualTo("acme/opus-5:free");
        }
    }

    @Test
    void theFreeRouterWithNoSuitableModelIsA404() {
        RoutingPlanner planner = new RoutingPlanner(() -> catalog, EndpointHealth.NONE, () -> LOWEST_DRAW);

        assertThat(rejection(planner, request("openrouter/free", ProviderPreferences.NONE))
                        .status())
                .isEqualTo(404);
    }

    // --- models --------------------------------------------------------------------------------

    @Test
    void fallbackModelsFollowThePrimaryModelInListOrder() {
        ChatRequest request = request("acme/tied", ProviderPreferences.NONE).toBuilder()
                .fallbackModels(List.of("acme/chat"))
                .build();
        assertThat(planner.plan(request).attempts())
                .extracting(a -> a.model().id())
                .containsExactly("acme/tied", "acme/tied", "acme/tied", "acme/chat", "acme/chat", "acme/chat");
    }

    @Test
    void sortWithPartitionNoneSortsTheEndpointsOfAllModelsTogether() {
        ProviderPreferences byPrice = ProviderPreferences.builder()
                .sort(Optional.of(new RouteSort(RouteSort.By.PRICE, RouteSort.Partition.NONE)))
                .build();
        ChatRequest request = request("acme/rich", byPrice).toBuilder()
                .fallbackModels(List.of("acme/text-only"))
                .build();
        assertThat(richPlanner.plan(request).first().model().id()).isEqualTo("acme/text-only");
        ChatRequest partitioned = request.toBuilder()
                .provider(ProviderPreferences.builder()
                        .sort(Optional.of(new RouteSort(RouteSort.By.PRICE, RouteSort.Partition.MODEL)))
                        .build())
                .build();
        assertThat(richPlanner.plan(partitioned).first().model().id()).isEqualTo("acme/rich");
    }

    @Test
    void anUnknownFallbackModelIsA400NamingIt() {
        GatewayException e = rejection(request("acme/chat", ProviderPreferences.NONE).toBuilder()
                .fallbackModels(List.of("acme/nope"))
                .build());

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.metadata()).containsEntry("requested_model", "acme/nope");
    }

    @Test
    void aModelWithNoEndpointLeftIsSkippedForTheNextOne() {
        ChatRequest request = request("acme/unusable", ProviderPreferences.NONE).toBuilder()
                .fallbackModels(List.of("acme/chat"))
                .build();
        assertThat(planner.plan(request).first().model().id()).isEqualTo("acme/chat");
    }

    /** Health as a test sets it: outages, half-open circuits and measurements by hand. */
    private static final class HealthStub implements EndpointHealth {
        private final java.util.Map<EndpointKey, HealthSnapshot> snapshots = new java.util.HashMap<>();
        private final java.util.Set<EndpointKey> probes = new java.util.HashSet<>();

        void outage(String model, String slug) {
            snapshots.put(
                    new EndpointKey(model, slug),
                    new HealthSnapshot(
                            true,
                            false,
                            HealthSnapshot.Circuit.CLOSED,
                            OptionalDouble.empty(),
                            OptionalDouble.empty(),
                            OptionalDouble.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty()));
        }

        void halfOpen(String model, String slug) {
            snapshots.put(
                    new EndpointKey(model, slug),
                    new HealthSnapshot(
                            false,
                            false,
                            HealthSnapshot.Circuit.HALF_OPEN,
                            OptionalDouble.empty(),
                            OptionalDouble.empty(),
                            OptionalDouble.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty()));
            probes.add(new EndpointKey(model, slug));
        }

        void measured(String model, String slug, double latencySeconds, double tokensPerSecond) {
            Percentiles latency = new Percentiles(latencySeconds, latencySeconds, latencySeconds, latencySeconds);
            Percentiles throughput =
                    new Percentiles(tokensPerSecond, tokensPerSecond, tokensPerSecond, tokensPerSecond);
            snapshots.put(
                    new EndpointKey(model, slug),
                    new HealthSnapshot(
                            false,
                            false,
                            HealthSnapshot.Circuit.CLOSED,
                            OptionalDouble.empty(),
                            OptionalDouble.empty(),
                            OptionalDouble.empty(),
                            Optional.of(latency),
                            Optional.of(throughput),
                            Optional.of(latency),
                            Optional.of(throughput)));
        }

        @Override
        public HealthSnapshot snapshot(EndpointKey endpoint) {
            return snapshots.getOrDefault(endpoint, HealthSnapshot.UNKNOWN);
        }

        @Override
        public void record(EndpointKey endpoint, AttemptOutcome outcome) {}

        @Override
        public boolean tryProbe(EndpointKey endpoint) {
            return probes.remove(endpoint);
        }
    }

    private static GatewayException rejection(RoutingPlanner planner, ChatRequest request) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> planner.plan(request));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    private GatewayException rejection(ChatRequest request) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> planner.plan(request));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    private static ChatRequest request(String model, ProviderPreferences preferences) {
        return ChatRequest.builder(model)
                .messages(List.of(Message.text(Role.USER, "hi")))
                .provider(preferences)
                .build();
    }

    private static ProviderPreferences prefs(List<String> only, List<String> ignore, List<String> order) {
        return new ProviderPreferences(only, ignore, order, Extensions.NONE);
    }

    private static Provider provider(String slug, Optional<String> unavailable) {
        return new Provider(
                slug,
                slug.toUpperCase(java.util.Locale.ROOT),
                "openai",
                new Connection.OpenAiCompatible(
                        URI.create("https://" + slug + ".example/v1"), "", MaxTokensField.AS_SENT),
                unavailable,
                Provider.Links.none());
    }

    private static Endpoint endpoint(String provider, String prompt, String completion) {
        return new Endpoint(
                provider, provider + "-model", Pricing.of(prompt, completion), 8192, 0, "unknown", List.of());
    }

    private static Model model(String id, Endpoint... endpoints) {
        return new Model(
                id, id, 0, "", 8192, List.of("text"), List.of("text"), "Other", null, List.of(), List.of(endpoints));
    }
}
