package dev.switchboard.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.routing.health.AttemptOutcome;
import dev.switchboard.core.routing.health.AttemptOutcome.ToolUse;
import dev.switchboard.core.routing.health.EndpointKey;
import dev.switchboard.core.routing.health.LocalEndpointHealth;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.RouteSort;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** {@code :exacto} and {@code provider.sort: "exacto"}: quality first, from outcomes recorded in real health. */
class ExactoRoutingTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String MODEL = "acme/tooly";
    private static final RandomGenerator LOWEST_DRAW = () -> 0L;

    private final Catalog catalog = new Catalog(
            List.of(provider("cheap"), provider("middle"), provider("pricey")),
            List.of(new Model(
                    MODEL,
                    MODEL,
                    0,
                    "",
                    8192,
                    List.of("text"),
                    List.of("text"),
                    "Other",
                    null,
                    List.of(),
                    List.of(
                            endpoint("pricey", "0.00001"),
                            endpoint("cheap", "0.000001"),
                            endpoint("middle", "0.000002")))));
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final LocalEndpointHealth health = new LocalEndpointHealth(now::get);
    private final RoutingPlanner planner = new RoutingPlanner(() -> catalog, health, () -> LOWEST_DRAW);

    /** cheap botches half its tool calls; middle answers every one; pricey has seen no traffic. */
    private void recordTraffic() {
        AttemptOutcome answered = AttemptOutcome.success(300, 40);
        record("cheap", 4, answered.withToolUse(ToolUse.OK));
        record("cheap", 4, answered.withToolUse(ToolUse.ERROR));
        record("middle", 8, answered.withToolUse(ToolUse.OK));
        now.addAndGet(2 * SECOND);
    }

    @Test
    void exactoPutsTheFewestToolCallErrorsFirstAndNeverHoldsMissingTrafficAgainstAnEndpoint() {
        recordTraffic();

        assertThat(providers(planner.plan(request(MODEL + ":exacto", ProviderPreferences.NONE))))
                .as("middle and pricey both have no errors; middle's measured throughput breaks the tie")
                .containsExactly("middle", "pricey", "cheap");
        assertThat(planner.plan(request(MODEL + ":exacto", ProviderPreferences.NONE))
                        .first()
                        .model()
                        .id())
                .isEqualTo(MODEL);
    }

    @Test
    void sortExactoIsTheSameOrder() {
        recordTraffic();
        ProviderPreferences exacto = ProviderPreferences.builder()
                .sort(Optional.of(new RouteSort(RouteSort.By.EXACTO, RouteSort.Partition.MODEL)))
                .build();

        assertThat(providers(planner.plan(request(MODEL, exacto)))).containsExactly("middle", "pricey", "cheap");
    }

    @Test
    void withoutMeasurementsExactoFallsBackToPrice() {
        assertThat(providers(planner.plan(request(MODEL + ":exacto", ProviderPreferences.NONE))))
                .containsExactly("cheap", "middle", "pricey");
    }

    @Test
    void anEndpointInTroubleGoesLastAndPoorUptimeBehindGoodUptime() {
        recordTraffic();
        now.addAndGet(31 * SECOND);
        record("middle", 3, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE).withToolUse(ToolUse.ERROR));

        assertThat(providers(planner.plan(request(MODEL + ":exacto", ProviderPreferences.NONE))))
                .as("middle is in an outage; its 3 errors in 11 are 27 %, behind cheap's 50 % only by trouble")
                .containsExactly("pricey", "cheap", "middle");

        now.addAndGet(31 * SECOND);
        record("pricey", 1, AttemptOutcome.of(AttemptOutcome.Kind.FAILURE));
        record("pricey", 1, AttemptOutcome.success(300, 40));
        now.addAndGet(2 * SECOND);
        assertThat(providers(planner.plan(request(MODEL + ":exacto", ProviderPreferences.NONE))))
                .as("no trouble now: errors 0 (pricey, 50 % uptime), 25 % (middle), 50 % (cheap)")
                .containsExactly("pricey", "middle", "cheap");
    }

    @Test
    void anExplicitSortWinsOverTheVariant() {
        recordTraffic();
        ProviderPreferences byPrice = ProviderPreferences.builder()
                .sort(Optional.of(new RouteSort(RouteSort.By.PRICE, RouteSort.Partition.MODEL)))
                .build();

        assertThat(providers(planner.plan(request(MODEL + ":exacto", byPrice))))
                .containsExactly("cheap", "middle", "pricey");
    }

    private void record(String slug, int times, AttemptOutcome outcome) {
        for (int i = 0; i < times; i++) {
            health.record(new EndpointKey(MODEL, slug), outcome);
        }
    }

    private static List<String> providers(RoutePlan plan) {
        return plan.attempts().stream().map(a -> a.provider().slug()).toList();
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

    private static Endpoint endpoint(String provider, String price) {
        return new Endpoint(provider, provider + "-model", Pricing.of(price, price), 8192, 0, "unknown", List.of());
    }
}
