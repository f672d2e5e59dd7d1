package dev.switchboard.bench.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.Overrides;
import dev.switchboard.provider.ProviderAdapters;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.StorageBackends;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What scripts/streams.sh starts, in-process: the upstream simulator on a free loopback port and a
 * real gateway on another, configured by {@code bench/config/streams.yaml} (the script's own file)
 * with the simulator's address from the environment, plus an inference key made through
 * {@code POST /api/v1/keys} with the management key.
 */
final class PacedGateway implements AutoCloseable {
    static final Path CONFIG = Path.of("config/streams.yaml");
    private static final String ADMIN_KEY = "sk-sb-v1-streams-admin-0123456789abcdef0123456789abcdef";

    private final UpstreamSimulator simulator;
    private final Gateway gateway;
    private final String apiKey;

    private PacedGateway(UpstreamSimulator simulator, Gateway gateway) throws IOException, InterruptedException {
        this.simulator = simulator;
        this.gateway = gateway;
        this.apiKey = createKey();
    }

    static PacedGateway start(Path dataDir) throws IOException, InterruptedException {
        UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        try {
            GatewayConfig config = new ConfigLoader(
                            Map.of(
                                    "SWITCHBOARD_STREAMS_UPSTREAM",
                                    simulator.baseUrl().toString()),
                            ProviderAdapters.KINDS,
                            StorageBackends.FACTORY.schemes())
                    .load(Optional.of(CONFIG), new Overrides(Optional.empty(), Optional.of(0), Optional.of(dataDir)));
            return new PacedGateway(simulator, Gateway.start(config, Optional.of(ADMIN_KEY), Clock.systemUTC()));
        } catch (RuntimeException | IOException | InterruptedException e) {
            simulator.close();
            throw e;
        }
    }

    URI gatewayUrl() {
        return URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1");
    }

    URI simulatorUrl() {
        return simulator.baseUrl();
    }

    String apiKey() {
        return apiKey;
    }

    private String createKey() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl() + "/keys"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"slow streams\"}"))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("key creation: " + response.statusCode() + " " + response.body());
            }
            return new ObjectMapper().readTree(response.body()).path("key").asText();
        }
    }

    @Override
    public void close() {
        gateway.close();
        simulator.close();
    }
}
