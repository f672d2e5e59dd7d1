package dev.switchboard.bench;

import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.Overrides;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.core.routing.RoutingPlanner;
import dev.switchboard.core.routing.health.AttemptOutcome;
import dev.switchboard.core.routing.health.EndpointKey;
import dev.switchboard.core.routing.health.LocalEndpointHealth;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.MaxPrice;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.RouteSort;
import dev.switchboard.provider.ProviderAdapters;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning a request over the bundled catalog, as every request does: {@code meta-llama/llama-3.3-70b-instruct},
 * its five endpoints, with health measured for each (so snapshots are real, cached ones).
 * <ul>
 *   <li>{@code balanced}: no preferences, the default 1/price² load balancing;</li>
 *   <li>{@code filteredAndSorted}: {@code max_price}, {@code quantizations} and a throughput sort;</li>
 *   <li>{@code threeModels}: the model and two fallback models, 5 + 3 + 3 endpoints;</li>
 *   <li>{@code autoRouter}: {@code openrouter/auto} over the whole catalog (51 models), a coding prompt:
 *       classifying it, the candidates, the medium band ranked with live health, then planning the three
 *       models chosen;</li>
 *   <li>{@code exacto}: the model with {@code :exacto}, its endpoints in quality-first order.</li>
 * </ul>
 * Every provider is made callable, as with its API key configured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class PlannerBenchmark {
    private static final String MODEL = "meta-llama/llama-3.3-70b-instruct";

    private RoutingPlanner planner;
    private ChatRequest balanced;
    private ChatRequest filteredAndSorted;
    private ChatRequest threeModels;
    private ChatRequest autoRouter;
    private ChatRequest exacto;

    @Setup
    public void loadCatalog() {
        GatewayConfig config = new ConfigLoader(Map.of(), ProviderAdapters.KINDS, Set.of("sqlite"))
                .load(Optional.empty(), Overrides.NONE);
        List<Provider> callable = config.providers().stream()
                .map(p -> new Provider(p.slug(), p.name(), p.kind(), p.connection(), Optional.empty(), p.links()))
                .toList();
        Catalog catalog = new Catalog(callable, config.models());
        LocalEndpointHealth health = LocalEndpointHealth.system();
        List<String> fallbacks = config.models().stream()
                .filter(m -> m.endpoints().size() == 3)
                .map(Model::id)
                .limit(2)
                .toList();
        for (Model model : config.models()) {
            for (var endpoint : model.endpoints()) {
                for (int i = 0; i < 50; i++) {
                    health.record(
                            new EndpointKey(model.id(), endpoint.slug()), AttemptOutcome.success(200 + i, 40 + i));
                }
            }
        }
        planner = new RoutingPlanner(() -> catalog, health);
        balanced = request(ProviderPreferences.NONE, List.of());
        filteredAndSorted = request(
                ProviderPreferences.builder()
                        .maxPrice(Optional.of(new MaxPrice(
                                Optional.of(new BigDecimal("1")),
                                Optional.of(new BigDecimal("2")),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty())))
                        .quantizations(List.of("fp8", "bf16", "unknown"))
                        .sort(Optional.of(new RouteSort(RouteSort.By.THROUGHPUT, RouteSort.Partition.MODEL)))
                        .build(),
                List.of());
        threeModels = request(ProviderPreferences.NONE, fallbacks);
        autoRouter = ChatRequest.builder("openrouter/auto")
                .messages(List.of(
                        Message.text(Role.SYSTEM, "You are a helpful assistant."),
                        Message.text(
                                Role.USER,
                                "Why does this Python function raise a KeyError traceback when the key is missing?")))
                .build();
        exacto = request(MODEL + ":exacto", ProviderPreferences.NONE, List.of());
    }

    private static ChatRequest request(ProviderPreferences prefs, List<String> fallbacks) {
        return request(MODEL, prefs, fallbacks);
    }

    private static ChatRequest request(String model, ProviderPreferences prefs, List<String> fallbacks) {
        return ChatRequest.builder(model)
                .fallbackModels(fallbacks)
                .messages(List.of(
                        Message.text(Role.SYSTEM, "You are a helpful assistant."),
                        Message.text(Role.USER, "Summarise the plot of Hamlet in three sentences.")))
                .provider(prefs)
                .build();
    }

    @Benchmark
    public RoutePlan balanced() {
        return planner.plan(balanced);
    }

    @Benchmark
    public RoutePlan filteredAndSorted() {
        return planner.plan(filteredAndSorted);
    }

    @Benchmark
    public RoutePlan threeModels() {
        return planner.plan(threeModels);
    }

    @Benchmark
    public RoutePlan autoRouter() {
        return planner.plan(autoRouter);
    }

    @Benchmark
    public RoutePlan exacto() {
        return planner.plan(exacto);
    }
}
