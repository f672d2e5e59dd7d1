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
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.Role;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CheapestEndpointPlannerTest {
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
    private final CheapestEndpointPlanner planner = new CheapestEndpointPlanner(() -> catalog);

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
        CheapestEndpointPlanner reloading = new CheapestEndpointPlanner(current::get);
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
