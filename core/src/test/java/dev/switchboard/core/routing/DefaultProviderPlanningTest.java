package dev.switchboard.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.core.routing.sticky.StickyRoutes;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.RouteSort;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@code routing.default_provider}: its endpoints go first in a load-balanced plan, for requests that
 * name no providers; everything else about the plan stays as it was.
 */
class DefaultProviderPlanningTest {
    /** Load balancing's draw always lands on the cheapest endpoint. */
    private static final RandomGenerator LOWEST_DRAW = () -> 0L;

    private static final Model CHAT = model(
            "acme/chat",
            endpoint("cheap", "", "0.000001"),
            endpoint("middle", "", "0.000002"),
            endpoint("pricey", "", "0.000003"),
            endpoint("pricey", "fast", "0.000004"));
    private static final Model ELSEWHERE = model("acme/elsewhere", endpoint("cheap", "", "0.000001"));
    private final Catalog catalog =
            new Catalog(List.of(provider("cheap"), provider("middle"), provider("pricey")), List.of(CHAT, ELSEWHERE));

    @Test
    void theDefaultProvidersEndpointsGoFirstAndTheRestStayBalanced() {
        assertThat(slugs(planner("pricey"), request("acme/chat", ProviderPreferences.NONE)))
                .containsExactly("pricey", "pricey/fast", "cheap", "middle");
        assertThat(slugs(planner("pricey/fast"), request("acme/chat", ProviderPreferences.NONE)))
                .containsExactly("pricey/fast", "cheap", "middle", "pricey");
    }

    @Test
    void withoutADefaultProviderThePlanIsUnchanged() {
        RoutingPlanner plain = new RoutingPlanner(() -> catalog, EndpointHealth.NONE, () -> LOWEST_DRAW);

        assertThat(slugs(plain, request("acme/chat", ProviderPreferences.NONE)))
                .containsExactly("cheap", "middle", "pricey", "pricey/fast");
    }

    @Test
    void aRequestNamingItsOwnProvidersOrSortIsNotReordered() {
        RoutingPlanner planner = planner("pricey");

        assertThat(slugs(planner, request("acme/chat", prefs().order(List.of("middle")))))
                .containsExactly("middle", "cheap", "pricey", "pricey/fast");
        assertThat(slugs(planner, request("acme/chat", prefs().only(List.of("cheap", "pricey")))))
                .containsExactly("cheap", "pricey", "pricey/fast");
        assertThat(slugs(
                        planner,
                        request(
                                "acme/chat",
                                prefs().sort(Optional.of(
                                        new RouteSort(RouteSort.By.PRICE, RouteSort.Partition.MODEL))))))
                .containsExactly("cheap", "middle", "pricey", "pricey/fast");
    }

    @Test
    void withoutFallbacksTheDefaultProviderIsThePrimaryWhenItServesTheModel() {
        RoutingPlanner planner = planner("middle");
        ProviderPreferences.Builder noFallbacks = prefs().allowFallbacks(false);

        assertThat(slugs(planner, request("acme/chat", noFallbacks))).containsExactly("middle");
        assertThat(slugs(planner, request("acme/elsewhere", noFallbacks)))
                .as("a model the default provider does not serve is planned as usual")
                .containsExactly("cheap");
    }

    private RoutingPlanner planner(String defaultProvider) {
        return new RoutingPlanner(
                () -> catalog, EndpointHealth.NONE, StickyRoutes.NONE, () -> LOWEST_DRAW, Optional.of(defaultProvider));
    }

    private static List<String> slugs(RoutingPlanner planner, ChatRequest request) {
        return planner.plan(request).attempts().stream()
                .map(a -> a.endpoint().slug())
                .toList();
    }

    private static ProviderPreferences.Builder prefs() {
        return ProviderPreferences.builder();
    }

    private static ChatRequest request(String model, ProviderPreferences.Builder preferences) {
        return request(model, preferences.build());
    }

    private static ChatRequest request(String model, ProviderPreferences preferences) {
        return ChatRequest.builder(model)
                .messages(List.of(Message.text(Role.USER, "hi")))
                .provider(preferences)
                .build();
    }

    private static Provider provider(String slug) {
        return new Provider(
                slug,
                slug,
                "openai",
                new Connection.OpenAiCompatible(
                        URI.create("https://" + slug + ".example/v1"), "", MaxTokensField.AS_SENT),
                Optional.empty(),
                Provider.Links.none());
    }

    private static Endpoint endpoint(String provider, String tag, String price) {
        return new Endpoint(
                provider,
                provider + "-model",
                Pricing.of(price, price),
                8192,
                0,
                "unknown",
                List.of(),
                tag,
                dev.switchboard.core.catalog.DataPolicy.UNKNOWN);
    }

    private static Model model(String id, Endpoint... endpoints) {
        return new Model(
                id, id, 0, "", 8192, List.of("text"), List.of("text"), "Other", null, List.of(), List.of(endpoints));
    }
}
