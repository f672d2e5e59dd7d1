package dev.switchboard.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.routing.health.AttemptOutcome;
import dev.switchboard.core.routing.health.EndpointKey;
import dev.switchboard.core.routing.health.LocalEndpointHealth;
import dev.switchboard.model.chat.AutoRouterOptions;
import dev.switchboard.model.chat.AutoRouterOptions.CostTier;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.MediaSource;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.Sampling;
import dev.switchboard.model.chat.Tool;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The auto router through the planner: tasks, tiers, the plugin's patterns and pin, what the request
 * needs, and live health. The catalog, cheapest first, puts its seven candidates in these bands:
 * {@code low} tiny and small, {@code medium} coder and mid (same price), {@code high} thinker,
 * {@code xhigh} big, {@code max} huge.
 */
class AutoRouterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final List<String> TEXT = List.of("text");
    private static final List<String> ALL_PARAMETERS = List.of(
            "max_tokens",
            "tools",
            "tool_choice",
            "parallel_tool_calls",
            "response_format",
            "structured_outputs",
            "reasoning",
            "include_reasoning");

    private static final Provider HOST = provider("host", Optional.empty());
    private static final Provider SECOND_HOST = provider("second", Optional.empty());
    private static final Provider LOCKED = provider("locked", Optional.of("no API key"));

    private final Catalog catalog = new Catalog(
            List.of(HOST, SECOND_HOST, LOCKED),
            List.of(
                    model("acme/huge", "Acme Huge", 500, TEXT, ALL_PARAMETERS, 1_000_000, endpoint("host", "20")),
                    model("acme/tiny", "Acme Tiny", 100, TEXT, List.of("max_tokens"), 8192, endpoint("host", "0.2")),
                    model("acme/tiny:free", "Acme Tiny (free)", 600, TEXT, List.of(), 8192, endpoint("host", "0")),
                    model(
                            "acme/small",
                            "Acme Small",
                            200,
                            TEXT,
                            List.of("max_tokens", "tools", "tool_choice"),
                            32_768,
                            endpoint("host", "0.5")),
                    model(
                            "acme/coder",
                            "Acme Coder",
                            150,
                            TEXT,
                            List.of("max_tokens", "tools", "reasoning"),
                            131_072,
                            endpoint("host", "1")),
                    model(
                            "acme/mid",
                            "Acme Mid",
                            300,
                            List.of("text", "image"),
                            List.of(
                                    "max_tokens",
                                    "tools",
                                    "tool_choice",
                                    "parallel_tool_calls",
                                    "structured_outputs",
                                    "reasoning"),
                            131_072,
                            endpoint("second", "1")),
                    model(
                            "acme/thinker",
                            "Acme Thinker",
                            250,
                            TEXT,
                            List.of("max_tokens", "reasoning", "include_reasoning"),
                            131_072,
                            endpoint("host", "5")),
                    model(
                            "acme/big",
                            "Acme Big",
                            400,
                            List.of("text", "image", "file"),
                            ALL_PARAMETERS,
                            1_000_000,
                            endpoint("host", "10")),
                    model("other/locked", "Locked", 700, TEXT, List.of(), 8192, endpoint("locked", "0.1"))));

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final LocalEndpointHealth health = new LocalEndpointHealth(now::get);
    private static final RandomGenerator LOWEST_DRAW = () -> 0L;
    private final RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, () -> LOWEST_DRAW);

    @Test
    void aChatGoesToTheNewestModelOfTheMediumTierWithTheNextBestAsFallbacks() {
        RoutePlan plan = planner.plan(request("Hello! How are you?"));

        assertThat(models(plan)).containsExactly("acme/mid", "acme/coder", "acme/small");
        assertThat(plan.first().model().id())
                .as("the model the response and billing name")
                .isEqualTo("acme/mid");
    }

    @Test
    void aCodingPromptPrefersTheModelMadeForCode() {
        assertThat(models(planner.plan(request("Why does this Python function raise a traceback?"))))
                .startsWith("acme/coder", "acme/mid");
    }

    @Test
    void toolsKeepOnlyModelsThatTakeThemAndRankByToolSupport() {
        ChatRequest request = request("What is the weather in Paris?").toBuilder()
                .tools(List.of(new Tool.Function(
                        "weather",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Extensions.NONE)))
                .build();

        // candidates small, coder, mid, big, huge: medium is coder and mid; mid has more tool support
        assertThat(models(planner.plan(request))).containsExactly("acme/mid", "acme/coder", "acme/small");
    }

    @Test
    void anImageKeepsOnlyModelsThatSeeAndTakesTheNearestTierWhenItsOwnIsEmpty() {
        ChatRequest request = request("").toBuilder()
                .messages(List.of(new Message(
                        Role.USER,
                        List.of(
                                ContentPart.Text.of("What is in this picture?"),
                                new ContentPart.Image(
                                        new MediaSource.Url("https://example.com/a.png"),
                                        Optional.empty(),
                                        Optional.empty(),
                                        Extensions.NONE)),
                        Optional.empty(),
                        Extensions.NONE)))
                .build();

        // two candidates: mid is low, big high; medium is empty, low is nearest (and cheaper)
        assertThat(models(planner.plan(request))).containsExactly("acme/mid", "acme/big");
    }

    @Test
    void theCostTierChoosesTheBand() {
        assertThat(models(planner.plan(tier(CostTier.LOW))).getFirst()).isEqualTo("acme/small");
        assertThat(models(planner.plan(tier(CostTier.MEDIUM))).getFirst()).isEqualTo("acme/mid");
        assertThat(models(planner.plan(tier(CostTier.HIGH))).getFirst()).isEqualTo("acme/thinker");
        assertThat(models(planner.plan(tier(CostTier.XHIGH))).getFirst()).isEqualTo("acme/big");
        assertThat(models(planner.plan(tier(CostTier.MAX)))).containsExactly("acme/huge", "acme/big", "acme/thinker");
    }

    @Test
    void variantsAndModelsNoProviderCanServeAreNeverChosen() {
        for (CostTier tier : CostTier.values()) {
            assertThat(models(planner.plan(tier(tier)))).doesNotContain("acme/tiny:free", "other/locked");
        }
        assertThat(models(planner.plan(tier(CostTier.LOW)))).containsExactly("acme/small", "acme/tiny", "acme/mid");
    }

    @Test
    void allowedAndExcludedPatternsNarrowTheChoice() {
        assertThat(models(planner.plan(options(List.of("acme/c*", "acme/t*"), List.of(), Optional.empty()))))
                .as("coder alone is medium among coder, thinker and tiny")
                .containsExactly("acme/coder", "acme/tiny", "acme/thinker");
        assertThat(models(planner.plan(options(List.of("acme/*"), List.of("*/mid"), Optional.empty()))))
                .startsWith("acme/coder");
    }

    @Test
    void aPinnedModelGoesFirstWhateverItsTierWithTheRankedOnesAsFallbacks() {
        assertThat(models(planner.plan(options(List.of(), List.of(), Optional.of("acme/huge")))))
                .containsExactly("acme/huge", "acme/mid", "acme/coder");
    }

    @Test
    void anUnknownPinnedModelIsA400NamingIt() {
        GatewayException e = rejection(options(List.of(), List.of(), Optional.of("acme/nope")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.metadata()).containsEntry("code", "model_not_found");
        assertThat(e.getMessage()).contains("acme/nope");
    }

    @Test
    void noModelTheRouterMayChooseIsA404() {
        GatewayException e = rejection(options(List.of("nobody/*"), List.of(), Optional.empty()));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.availability().orElseThrow().requestedModels()).containsExactly("openrouter/auto");
    }

    @Test
    void requireParametersKeepsOnlyModelsThatTakeEverythingSent() {
        ChatRequest request = request("Hello").toBuilder()
                .sampling(new Sampling(
                        Optional.of(new BigDecimal("0.2")),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        List.of(),
                        java.util.OptionalInt.empty(),
                        Optional.empty(),
                        java.util.OptionalInt.empty(),
                        Optional.empty()))
                .provider(ProviderPreferences.builder().requireParameters(true).build())
                .build();

        assertThat(rejection(request).status()).isEqualTo(404);
        assertThat(models(planner.plan(request.toBuilder()
                        .sampling(Sampling.DEFAULTS)
                        .maxTokens(java.util.OptionalLong.of(10))
                        .build())))
                .containsExactly("acme/mid", "acme/coder", "acme/small");
    }

    @Test
    void aPromptTooLongForAModelLeavesItOut() {
        String longPrompt = "word ".repeat(40_000 * 4 / 5);

        assertThat(models(planner.plan(request(longPrompt))))
                .as("40,000 tokens: too many for small and tiny")
                .doesNotContain("acme/small", "acme/tiny")
                .startsWith("acme/mid");
    }

    @Test
    void theRequestsProviderFiltersApplyToTheChosenModelsAndTheNextRankedFillIn() {
        ChatRequest request = request("Hello").toBuilder()
                .provider(
                        ProviderPreferences.builder().ignore(List.of("second")).build())
                .build();

        assertThat(models(planner.plan(request))).containsExactly("acme/coder", "acme/small", "acme/tiny");
    }

    @Test
    void aModelInAnOutageIsRankedBehindTheHealthyOnesOfItsTier() {
        for (int i = 0; i < 3; i++) {
            health.record(new EndpointKey("acme/mid", "second"), AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        }

        assertThat(models(planner.plan(request("Hello")))).containsExactly("acme/coder", "acme/mid", "acme/small");
    }

    @Test
    void poorUptimeCostsAPointPerTenPointsMissing() {
        String coding = "Why does this Python function raise a traceback?";
        EndpointKey coder = new EndpointKey("acme/coder", "host");
        for (int i = 0; i < 3; i++) {
            health.record(coder, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        }
        for (int i = 0; i < 9; i++) {
            health.record(coder, AttemptOutcome.success(100, 50));
        }
        now.addAndGet(31 * SECOND);

        // 9 of 12 is 75 % uptime: coder's fit of 4 less 2.5 falls behind mid's 2
        assertThat(models(planner.plan(request(coding)))).startsWith("acme/mid", "acme/coder");
    }

    @Test
    void slowThroughputCostsAtMostHalfAPoint() {
        health.record(new EndpointKey("acme/mid", "second"), AttemptOutcome.success(100, 2));
        ChatRequest withTools = request("What is the weather in Paris?").toBuilder()
                .tools(List.of(new Tool.Function(
                        "weather",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Extensions.NONE)))
                .build();

        assertThat(models(planner.plan(request("Hello"))))
                .as("2 tokens per second: mid's 0 less 0.45 falls behind coder's 0")
                .startsWith("acme/coder", "acme/mid");
        assertThat(models(planner.plan(withTools)))
                .as("tool use: mid's 4 less 0.45 stays ahead of coder's 1")
                .startsWith("acme/mid", "acme/coder");
    }

    @Test
    void switchboardAutoIsTheSameRouterAndItMayBeAFallbackModel() {
        assertThat(models(planner.plan(
                        request("Hello").toBuilder().fallbackModels(List.of()).build())))
                .isEqualTo(models(planner.plan(ChatRequest.builder("switchboard/auto")
                        .messages(List.of(Message.text(Role.USER, "Hello")))
                        .build())));
        ChatRequest autoAsFallback = ChatRequest.builder("acme/thinker")
                .fallbackModels(List.of("openrouter/auto"))
                .messages(List.of(Message.text(Role.USER, "Hello")))
                .build();

        assertThat(models(planner.plan(autoAsFallback)))
                .containsExactly("acme/thinker", "acme/mid", "acme/coder", "acme/small");
    }

    private GatewayException rejection(ChatRequest request) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> planner.plan(request));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    /** The distinct models of a plan, in order. */
    private static List<String> models(RoutePlan plan) {
        return plan.attempts().stream().map(a -> a.model().id()).distinct().toList();
    }

    private static ChatRequest request(String prompt) {
        return ChatRequest.builder("openrouter/auto")
                .messages(List.of(Message.text(Role.USER, prompt)))
                .build();
    }

    private static ChatRequest tier(CostTier tier) {
        return request("Hello").toBuilder()
                .autoRouter(new AutoRouterOptions(List.of(), List.of(), Optional.of(tier), Optional.empty()))
                .build();
    }

    private static ChatRequest options(List<String> allowed, List<String> excluded, Optional<String> pin) {
        return request("Hello").toBuilder()
                .autoRouter(new AutoRouterOptions(allowed, excluded, Optional.empty(), pin))
                .build();
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

    /** An endpoint whose prompt and completion both cost {@code perMillion} dollars per million tokens. */
    private static Endpoint endpoint(String provider, String perMillion) {
        String perToken = new BigDecimal(perMillion).movePointLeft(6).toPlainString();
        return new Endpoint(provider, provider + "-model", Pricing.of(perToken, perToken), 0, 0, "unknown", List.of());
    }

    private static Model model(
            String id,
            String name,
            long created,
            List<String> input,
            List<String> parameters,
            long context,
            Endpoint endpoint) {
        Endpoint sized = new Endpoint(
                endpoint.providerSlug(),
                endpoint.upstreamModel(),
                endpoint.pricing(),
                context,
                0,
                "unknown",
                parameters);
        return new Model(id, name, created, "", context, input, TEXT, "Other", null, parameters, List.of(sized));
    }
}
