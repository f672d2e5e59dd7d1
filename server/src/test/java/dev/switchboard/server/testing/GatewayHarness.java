package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real gateway for integration tests: the upstream simulator on a loopback port, a configuration
 * file written to a temporary directory and loaded by the real loader, a real SQLite file, and the
 * gateway listening on an ephemeral port. Comes with a management key and one API key.
 *
 * <p>Providers and models of the test configuration:
 * <ul>
 *   <li>{@code mock} (Mock Cloud) at the simulator: {@code acme/chat-small} (prompt $0.0000005,
 *       completion $0.0000015 per token) and {@code acme/chat-priced} (with a per-request price and
 *       cache-read price);</li>
 *   <li>{@code locked}, whose {@code api_key} names an unset variable: {@code acme/locked} is unavailable (503);</li>
 *   <li>{@code offline}, at a port nothing listens on: {@code acme/offline} (connect refused, 502);</li>
 *   <li>only when started with {@link #start(Map, String, URI)}: {@code extra} (Extra Cloud) at the given
 *       base URL, serving {@code acme/extra} as upstream model {@code extra-model}, for upstreams of a
 *       test's own (a fixed-bytes server, a port that never accepts); and {@code acme/fallback}, served
 *       by {@code extra} first and by {@code mock} after it (prompt $0.000001, completion $0.000003).</li>
 * </ul>
 * Timeouts are short (connect 1 s, first byte 1.5 s, idle 1 s, total 20 s) and keep-alives come every
 * 200 ms, so timeout paths run in well under a second or two.
 */
public final class GatewayHarness implements AutoCloseable {
    public static final String ADMIN_KEY = "sk-sb-v1-test-admin-0123456789abcdef0123456789abcdef";
    public static final String MODEL = "acme/chat-small";
    /** The model of the provider added by {@link #start(Map, String, URI)}. */
    public static final String EXTRA_MODEL = "acme/extra";
    /**
     * A model of the provider added by {@link #start(Map, String, URI)} (cheaper, so planned first) and
     * of {@code mock} at the simulator (its fallback).
     */
    public static final String FALLBACK_MODEL = "acme/fallback";
    /** The display name of the provider added by {@link #start(Map, String, URI)}. */
    public static final String EXTRA_PROVIDER_NAME = "Extra Cloud";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UpstreamSimulator simulator;
    private final Path directory;
    private final Gateway gateway;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String apiKey;

    private final Path dataDirectory;

    private GatewayHarness(UpstreamSimulator simulator, Path directory, Gateway gateway, Path dataDirectory) {
        this.simulator = simulator;
        this.directory = directory;
        this.dataDirectory = dataDirectory;
        this.gateway = gateway;
        this.apiKey = createKey("test key");
    }

    public static GatewayHarness start() {
        return start(Map.of(), "");
    }

    /**
     * A gateway on a free port over the simulator, configured for tests.
     *
     * @param env        extra environment seen by the configuration loader
     * @param extraYaml  appended to the test configuration (top-level sections not already present)
     */
    public static GatewayHarness start(Map<String, String> env, String extraYaml) {
        return start(env, extraYaml, Optional.empty(), Clock.systemUTC());
    }

    /** Like {@link #start(Map, String)}, on a clock the test controls (a {@link MovableClock}, say). */
    public static GatewayHarness start(Map<String, String> env, String extraYaml, Clock clock) {
        return start(env, extraYaml, Optional.empty(), clock);
    }

    /**
     * Like {@link #start(Map, String)}, plus provider {@code extra} ({@value #EXTRA_PROVIDER_NAME}) at
     * {@code extraBaseUrl} serving {@value #EXTRA_MODEL}.
     */
    public static GatewayHarness start(Map<String, String> env, String extraYaml, URI extraBaseUrl) {
        return start(env, extraYaml, Optional.of(extraBaseUrl), Clock.systemUTC());
    }

    private static GatewayHarness start(
            Map<String, String> env, String extraYaml, Optional<URI> extraBaseUrl, Clock clock) {
        return startWith(simulatorBase -> configYaml(simulatorBase, extraBaseUrl) + extraYaml, env, clock);
    }

    /**
     * A gateway whose whole configuration is {@code config} of the simulator's base URL, for tests that
     * need providers and models of their own; comes with the management key and one API key as
     * {@link #start()} does.
     */
    public static GatewayHarness startWith(
            java.util.function.Function<URI, String> config, Map<String, String> env, Clock clock) {
        return startWith(config, env, clock, Optional.empty());
    }

    /** Like {@link #startWith(java.util.function.Function, Map, Clock)}, in the data directory {@code dataDir} (to restart on it). */
    public static GatewayHarness startWith(
            java.util.function.Function<URI, String> configOf,
            Map<String, String> env,
            Clock clock,
            Optional<Path> dataDir) {
        UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        try {
            Path directory = Files.createTempDirectory("switchboard-test");
            Path config = directory.resolve("switchboard.yaml");
            Files.writeString(config, configOf.apply(simulator.baseUrl()));
            Map<String, String> environment = new HashMap<>(env);
            GatewayConfig loaded = new ConfigLoader(
                            environment, ProviderAdapters.KINDS, StorageBackends.FACTORY.schemes())
                    .load(
                            Optional.of(config),
                            new Overrides(
                                    Optional.empty(),
                                    Optional.of(0),
                                    Optional.of(dataDir.orElse(directory.resolve("data")))));
            Gateway gateway;
            try {
                gateway = Gateway.start(loaded, Optional.of(ADMIN_KEY), clock);
            } catch (RuntimeException e) {
                simulator.close();
                throw e;
            }
            return new GatewayHarness(simulator, directory, gateway, dataDir.orElse(directory.resolve("data")));
        } catch (IOException e) {
            simulator.close();
            throw new UncheckedIOException(e);
        }
    }

    public static String configYaml(URI simulatorBase) {
        return configYaml(simulatorBase, Optional.empty());
    }

    private static String configYaml(URI simulatorBase, Optional<URI> extraBase) {
        return providersYaml(simulatorBase)
                + extraBase.map(GatewayHarness::extraProviderYaml).orElse("")
                + modelsYaml()
                + extraBase.map(base -> extraModelYaml()).orElse("");
    }

    private static String providersYaml(URI simulatorBase) {
        return """
                timeouts: { connect: 1s, first_byte: 1500ms, idle: 1s, total: 20s }
                streaming: { keepalive_interval: 200ms }
                providers:
                  - slug: mock
                    name: Mock Cloud
                    kind: openai
                    base_url: %s
                    api_key: sk-upstream-secret-not-for-clients
                  - slug: locked
                    name: Locked Cloud
                    kind: openai
                    base_url: %s
                    api_key: ${SWITCHBOARD_TEST_UNSET_KEY}
                  - slug: offline
                    name: Offline Cloud
                    kind: openai
                    base_url: http://127.0.0.1:1/v1
                """.formatted(simulatorBase, simulatorBase);
    }

    private static String extraProviderYaml(URI baseUrl) {
        return """
                  - slug: extra
                    name: %s
                    kind: openai
                    base_url: %s
                """.formatted(EXTRA_PROVIDER_NAME, baseUrl);
    }

    private static String modelsYaml() {
        return """
                models:
                  - id: acme/chat-small
                    name: "Acme: Chat Small"
                    context_length: 32768
                    input_modalities: [text]
                    endpoints:
                      - provider: mock
                        upstream_model: chat-small
                        pricing: { prompt: "0.0000005", completion: "0.0000015" }
                  - id: acme/chat-priced
                    name: "Acme: Chat Priced"
                    context_length: 8192
                    supported_parameters: [max_tokens, temperature, tools, tool_choice]
                    endpoints:
                      - provider: mock
                        upstream_model: chat-priced
                        pricing: { prompt: "0.000003", completion: "0.000015", request: "0.001", input_cache_read: "0.0000003" }
                  - id: acme/locked
                    context_length: 8192
                    endpoints:
                      - provider: locked
                        upstream_model: locked-model
                        pricing: { prompt: "0.000001", completion: "0.000002" }
                  - id: acme/offline
                    context_length: 8192
                    endpoints:
                      - provider: offline
                        upstream_model: offline-model
                        pricing: { prompt: "0.000001", completion: "0.000002" }
                """;
    }

    private static String extraModelYaml() {
        return """
                  - id: acme/extra
                    context_length: 8192
                    endpoints:
                      - provider: extra
                        upstream_model: extra-model
                        pricing: { prompt: "0.000001", completion: "0.000002" }
                  - id: acme/fallback
                    context_length: 8192
                    endpoints:
                      - provider: extra
                        upstream_model: extra-model
                        pricing: { prompt: "0.0000001", completion: "0.0000001" }
                      - provider: mock
                        upstream_model: chat-small
                        pricing: { prompt: "0.000001", completion: "0.000003" }
                """;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1");
    }

    public String apiKey() {
        return apiKey;
    }

    public UpstreamSimulator simulator() {
        return simulator;
    }

    public Gateway gateway() {
        return gateway;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Creates an inference key through the API and returns its secret. */
    public String createKey(String name) {
        HttpResponse<String> response = send("POST", "/keys", ADMIN_KEY, "{\"name\":\"" + name + "\"}", Map.of());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("key creation failed: " + response.statusCode() + " " + response.body());
        }
        return json(response).path("key").asText();
    }

    /** A request with the test API key. */
    public HttpResponse<String> post(String path, String body) {
        return send("POST", path, apiKey, body, Map.of());
    }

    public HttpResponse<String> get(String path, String key) {
        return send("GET", path, key, null, Map.of());
    }

    public HttpResponse<String> send(String method, String path, String key, String body, Map<String, String> headers) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        headers.forEach(builder::header);
        builder.header("Content-Type", "application/json");
        builder.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Streams a request and returns every line of the response body, blank lines included. */
    public StreamedResponse stream(String body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl() + "/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        try {
            HttpResponse<Stream<String>> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                return new StreamedResponse(
                        response.statusCode(), response.headers().map(), lines.toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        gateway.close();
        simulator.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
