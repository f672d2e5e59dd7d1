package dev.switchboard.server;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.util.ArrayList;
import java.util.List;

/**
 * The quick-start fallback: when no provider can be used (no credentials anywhere), the built-in
 * upstream simulator is started on a free loopback port and registered as provider {@code simulator}
 * with three {@code simulator/*} models. Everything about it says it is a simulator: its name, its
 * models' names and descriptions, and the start-up banner. It never stands in beside real providers.
 */
final class SimulatorSetup {
    static final String SLUG = "simulator";
    static final String NAME = "Switchboard Simulator (test instrument)";

    private SimulatorSetup() {}

    static boolean needed(GatewayConfig config) {
        return config.providers().stream().noneMatch(Provider::available);
    }

    /**
     * The configuration with the simulator's provider and models added. They take the place of any
     * configured provider {@code simulator} (which, like every other, had no credentials) and of any
     * configured model with one of their ids, so that every count and listing agrees.
     */
    static GatewayConfig withSimulator(GatewayConfig config, UpstreamSimulator simulator) {
        Provider provider = Provider.openAi(SLUG, NAME, simulator.baseUrl(), "", MaxTokensField.AS_SENT);
        List<Provider> providers = new ArrayList<>(
                config.providers().stream().filter(p -> !p.slug().equals(SLUG)).toList());
        providers.add(provider);
        List<Model> simulated = List.of(
                model("small", "sim-small", "0.0000001", "0.0000002"),
                model("large", "sim-large", "0.000001", "0.000003"),
                model("reasoning", "sim-reasoning", "0.000002", "0.000008"));
        List<String> simulatedIds = simulated.stream().map(Model::id).toList();
        List<Model> models = new ArrayList<>(config.models().stream()
                .filter(m -> !simulatedIds.contains(m.id()))
                .toList());
        models.addAll(simulated);
        return new GatewayConfig(
                config.server(),
                config.storage(),
                config.timeouts(),
                config.upstream(),
                config.streaming(),
                config.routing(),
                config.credits(),
                config.alerts(),
                config.ioLogging(),
                config.limits(),
                config.byok(),
                config.dataDir(),
                providers,
                models,
                config.source());
    }

    static UpstreamSimulator start() {
        return UpstreamSimulator.start(SimulatorOptions.defaults());
    }

    private static Model model(String slug, String upstream, String prompt, String completion) {
        Endpoint endpoint =
                new Endpoint(SLUG, upstream, Pricing.of(prompt, completion), 32768, 4096, "unknown", List.of());
        return new Model(
                SLUG + "/" + slug,
                "Simulator: " + slug + " (simulated responses)",
                0,
                "Simulated model served by the built-in upstream simulator, a test instrument. Its text is synthetic.",
                32768,
                List.of("text"),
                List.of("text"),
                "Other",
                null,
                List.of(),
                List.of(endpoint));
    }
}
