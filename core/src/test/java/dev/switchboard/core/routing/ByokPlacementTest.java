package dev.switchboard.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.byok.ByokKey;
import dev.switchboard.core.byok.OwnKey;
import dev.switchboard.core.byok.OwnKeys;
import dev.switchboard.core.byok.SealedSecret;
import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.provider.Credential;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.RouteSort;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The planner places a caller's own keys: per model (the models of a {@code models} list keep their
 * order), or over all models with {@code sort.partition: none}; prioritized keys before the shared
 * endpoints, fallback keys after them; a provider without a shared key is planned for own keys alone, a
 * disabled one never; and a caller without keys gets the plan it always got.
 */
class ByokPlacementTest {
    private static final Provider CHEAP = provider("cheap", Optional.empty());
    private static final Provider PRICEY = provider("pricey", Optional.empty());
    private static final Provider KEYLESS = provider("keyless", Optional.of("no API key (set KEYLESS_API_KEY)"));
    private static final Provider OFF = provider("off", Optional.of(Provider.DISABLED));

    private static final Model FIRST = model(
            "acme/first",
            endpoint("pricey", "0.00001"),
            endpoint("cheap", "0.000001"),
            endpoint("keyless", "0.000002"),
            endpoint("off", "0.0000001"));
    private static final Model SECOND =
            model("acme/second", endpoint("pricey", "0.0000005"), endpoint("cheap", "0.000003"));

    private final Catalog catalog = new Catalog(List.of(CHEAP, PRICEY, KEYLESS, OFF), List.of(FIRST, SECOND));
    private final RoutingPlanner planner = new RoutingPlanner(() -> catalog, EndpointHealth.NONE, () -> () -> 0L);

    @Test
    void aCallerWithoutKeysGetsThePlanItAlwaysGot() {
        ChatRequest request = request(RouteSort.Partition.MODEL);

        assertThat(planner.plan(request, "k", OwnKeys.NONE).attempts())
                .isEqualTo(planner.plan(request, "k").attempts());
    }

    @Test
    void ownKeysGoFirstWithinEachModelAndFallbackKeysLast() {
        OwnKeys own =
                keys(Map.of("pricey", List.of(key("p1", "pricey", false)), "cheap", List.of(key("c1", "cheap", true))));

        List<String> plan = describe(planner.plan(request(RouteSort.Partition.MODEL), "k", own));

        assertThat(plan)
                .containsExactly(
                        "acme/first pricey own:p1",
                        "acme/first cheap",
                        "acme/first pricey",
                        "acme/first cheap own:c1",
                        "acme/second pricey own:p1",
                        "acme/second pricey",
                        "acme/second cheap",
                        "acme/second cheap own:c1");
    }

    @Test
    void withPartitionNoneOwnKeysGoFirstOverAllModels() {
        OwnKeys own = keys(Map.of("pricey", List.of(key("p1", "pricey", false))));

        List<String> plan = describe(planner.plan(request(RouteSort.Partition.NONE), "k", own));

        assertThat(plan.subList(0, 2)).containsExactly("acme/second pricey own:p1", "acme/first pricey own:p1");
        assertThat(plan.subList(2, plan.size())).noneMatch(a -> a.contains("own:"));
    }

    @Test
    void aProviderWithoutASharedKeyIsPlannedForOwnKeysAloneAndADisabledOneNever() {
        OwnKeys own = keys(Map.of(
                "keyless", List.of(key("k1", "keyless", false), key("k2", "keyless", false)),
                "off", List.of(key("o1", "off", false))));

        List<String> plan = describe(planner.plan(request(RouteSort.Partition.MODEL), "k", own));

        assertThat(plan).contains("acme/first keyless own:k1", "acme/first keyless own:k2");
        assertThat(plan).doesNotContain("acme/first keyless").noneMatch(a -> a.contains("off"));
    }

    @Test
    void anAlwaysUseKeyTakesItsProvidersSharedEndpointsOut() {
        OwnKeys own = keys(Map.of("cheap", List.of(always(key("c1", "cheap", false)))));

        List<String> plan = describe(planner.plan(request(RouteSort.Partition.MODEL), "k", own));

        assertThat(plan).contains("acme/first cheap own:c1").doesNotContain("acme/first cheap", "acme/second cheap");
    }

    private static List<String> describe(RoutePlan plan) {
        return plan.attempts().stream()
                .map(a -> a.model().id() + " " + a.provider().slug()
                        + a.ownKey().map(k -> " own:" + k.id()).orElse(""))
                .toList();
    }

    private static OwnKeys keys(Map<String, List<OwnKey>> byProvider) {
        return (provider, model) -> byProvider.getOrDefault(provider, List.of());
    }

    private static OwnKey key(String id, String provider, boolean fallback) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new OwnKey(
                new ByokKey(
                        id,
                        "default",
                        provider,
                        Optional.empty(),
                        "...",
                        false,
                        fallback,
                        false,
                        0,
                        Optional.empty(),
                        Optional.empty(),
                        t,
                        t,
                        new SealedSecret("0000000000000000", new byte[12], new byte[16])),
                new Credential.ApiKey("sk-" + id));
    }

    private static OwnKey always(OwnKey key) {
        ByokKey k = key.key();
        return new OwnKey(
                new ByokKey(
                        k.id(),
                        k.workspaceId(),
                        k.provider(),
                        k.name(),
                        k.label(),
                        k.disabled(),
                        k.fallback(),
                        true,
                        k.sortOrder(),
                        k.allowedModels(),
                        k.allowedKeyHashes(),
                        k.createdAt(),
                        k.updatedAt(),
                        k.sealed()),
                key.credential());
    }

    private static ChatRequest request(RouteSort.Partition partition) {
        return ChatRequest.builder("acme/first")
                .fallbackModels(List.of("acme/second"))
                .messages(List.of(Message.text(Role.USER, "hi")))
                .provider(ProviderPreferences.builder()
                        .sort(Optional.of(new RouteSort(RouteSort.By.PRICE, partition)))
                        .build())
                .build();
    }

    private static Provider provider(String slug, Optional<String> unavailable) {
        return new Provider(
                slug,
                slug,
                "openai",
                new Connection.OpenAiCompatible(
                        URI.create("https://" + slug + ".example/v1"), "", MaxTokensField.AS_SENT),
                unavailable,
                Provider.Links.none());
    }

    private static Endpoint endpoint(String provider, String price) {
        return new Endpoint(provider, provider + "-model", Pricing.of(price, price), 8192, 0, "unknown", List.of());
    }

    private static Model model(String id, Endpoint... endpoints) {
        return new Model(
                id, id, 0, "", 8192, List.of("text"), List.of("text"), "Other", null, List.of(), List.of(endpoints));
    }
}
