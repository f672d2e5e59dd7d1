package dev.switchboard.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.accounting.CreditBook;
import dev.switchboard.core.accounting.SpendThresholds;
import dev.switchboard.core.accounting.UsageLedger;
import dev.switchboard.core.byok.ByokCredentials;
import dev.switchboard.core.byok.ByokRegistry;
import dev.switchboard.core.byok.MasterKeys;
import dev.switchboard.core.byok.SecretSealer;
import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.generation.GenerationJournal;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.keys.CreatedKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.limits.GrantedCredits;
import dev.switchboard.core.limits.LocalRequestLimiter;
import dev.switchboard.core.limits.RequestLimiter;
import dev.switchboard.core.pipeline.HedgePolicy;
import dev.switchboard.core.pipeline.RequestPipeline;
import dev.switchboard.core.pipeline.RetryPolicy;
import dev.switchboard.core.preset.PresetRegistry;
import dev.switchboard.core.preset.RequestPresets;
import dev.switchboard.core.routing.RoutingPlanner;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.core.routing.health.LocalEndpointHealth;
import dev.switchboard.core.routing.sticky.LocalStickyRoutes;
import dev.switchboard.core.routing.sticky.StickyRoutes;
import dev.switchboard.core.storage.Storage;
import dev.switchboard.core.storage.StorageOptions;
import dev.switchboard.core.upstream.Ticker;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import dev.switchboard.provider.ProviderAdapters;
import dev.switchboard.server.alerts.WebhookAlerts;
import dev.switchboard.server.byok.ByokEndpoints;
import dev.switchboard.server.catalog.CatalogEndpoints;
import dev.switchboard.server.chat.ChatCompletionsEndpoint;
import dev.switchboard.server.generation.GenerationEndpoint;
import dev.switchboard.server.health.HealthCheck;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.ApiRoutes;
import dev.switchboard.server.http.BodyReadDeadline;
import dev.switchboard.server.http.ConnectionHygiene;
import dev.switchboard.server.http.ErrorResponses;
import dev.switchboard.server.http.HttpVersionSelector;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.RequestBodies;
import dev.switchboard.server.http.RequestEncodings;
import dev.switchboard.server.http.TransportErrors;
import dev.switchboard.server.iolog.IoLogEndpoints;
import dev.switchboard.server.iolog.IoLogWriter;
import dev.switchboard.server.keys.CreditEndpoints;
import dev.switchboard.server.keys.KeyEndpoints;
import dev.switchboard.server.metrics.GatewayMetrics;
import dev.switchboard.server.presets.PresetEndpoints;
import dev.switchboard.server.reports.ActivityEndpoint;
import dev.switchboard.server.reports.AppRankingsEndpoint;
import dev.switchboard.simulator.UpstreamSimulator;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The composition root: builds every component from a {@link GatewayConfig}, by constructor, and runs
 * the HTTP server. A start that cannot succeed (port taken, database unusable, bad management key)
 * throws {@link StartupFailure} after releasing what it had opened. {@link #close()} stops accepting requests, then writes every pending generation
 * record, then releases storage and clients.
 */
public final class Gateway implements AutoCloseable {
    /** How long a reservation outlives the longest an upstream call may take. */
    private static final Duration RESERVATION_MARGIN = Duration.ofMinutes(1);

    private final GatewayConfig config;
    private final WebServer server;
    private final Storage storage;
    private final GenerationLog generations;
    private final ProviderAdapters adapters;
    private final Ticker ticker;
    private final Optional<UpstreamSimulator> simulator;
    private final WebhookAlerts alerts;
    private final IoLogWriter ioLogs;
    private final List<CreatedKey> createdKeys;

    private Gateway(
            GatewayConfig config,
            WebServer server,
            Storage storage,
            GenerationLog generations,
            ProviderAdapters adapters,
            Ticker ticker,
            Optional<UpstreamSimulator> simulator,
            WebhookAlerts alerts,
            IoLogWriter ioLogs) {
        this.alerts = alerts;
        this.ioLogs = ioLogs;
        this.config = config;
        this.server = server;
        this.storage = storage;
        this.generations = generations;
        this.adapters = adapters;
        this.ticker = ticker;
        this.simulator = simulator;
        this.createdKeys = new ArrayList<>();
    }

    /**
     * Starts a gateway.
     *
     * @param adminKey the management key secret from {@code SWITCHBOARD_ADMIN_KEY}, if set
     */
    public static Gateway start(GatewayConfig loaded, Optional<String> adminKey, Clock clock) {
        ListenAddress.checkAvailable(loaded.server().host(), loaded.server().port());
        Optional<UpstreamSimulator> simulator =
                SimulatorSetup.needed(loaded) ? Optional.of(SimulatorSetup.start()) : Optional.empty();
        GatewayConfig config =
                simulator.map(s -> SimulatorSetup.withSimulator(loaded, s)).orElse(loaded);
        GenerationJournal journal;
        try {
            journal = GenerationJournal.open(
                    config.dataDir().resolve("journal"), GenerationJournal.DEFAULT_SEGMENT_BYTES);
        } catch (IllegalStateException e) {
            simulator.ifPresent(UpstreamSimulator::close);
            throw new StartupFailure(String.valueOf(e.getMessage()), e);
        } catch (RuntimeException e) {
            simulator.ifPresent(UpstreamSimulator::close);
            throw new StartupFailure(
                    "cannot use the data directory " + config.dataDir() + ": " + StartupFailure.rootMessage(e), e);
        }
        Storage storage;
        try {
            storage = StorageBackends.FACTORY.open(
                    config.storage().url(), new StorageOptions(config.storage().allowNewDatabase()));
        } catch (RuntimeException e) {
            journal.close();
            simulator.ifPresent(UpstreamSimulator::close);
            throw new StartupFailure(
                    "cannot open the database " + config.storage().url() + ": " + StartupFailure.rootMessage(e), e);
        }
        ObjectMapper json = Json.mapper();
        KeyRegistry keys = new KeyRegistry(storage.keys(), clock);
        ByokRegistry byok;
        try {
            byok = openByok(config, storage, clock);
        } catch (IllegalStateException | IllegalArgumentException e) {
            journal.close();
            storage.close();
            simulator.ifPresent(UpstreamSimulator::close);
            throw new StartupFailure(String.valueOf(e.getMessage()), e);
        }
        GenerationLog generations;
        try {
            generations = new GenerationLog(
                    storage.generations(),
                    GenerationLog.Limits.defaults()
                            .withMaxPending(config.storage().maxPendingRecords()),
                    journal);
        } catch (RuntimeException e) {
            journal.close();
            storage.close();
            simulator.ifPresent(UpstreamSimulator::close);
            throw new StartupFailure(StartupFailure.rootMessage(e), e);
        }
        ProviderAdapters adapters = new ProviderAdapters(config.timeouts(), config.upstream(), json);
        Ticker ticker = Ticker.start();
        WebhookAlerts alerts = new WebhookAlerts(config.alerts(), json, clock);
        IoLogWriter ioLogs = new IoLogWriter(storage.ioLogs(), config.ioLogging(), clock);
        ErrorResponses errors = new ErrorResponses(json);
        RequestBodies bodies = new RequestBodies(
                json,
                config.server().maxBodyBytes(),
                new BodyReadDeadline(ticker, config.server().bodyTimeout(), System::nanoTime));
        WebServer server = server(
                config,
                routing(
                        config,
                        storage,
                        keys,
                        byok,
                        generations,
                        adapters,
                        ticker,
                        errors,
                        bodies,
                        json,
                        clock,
                        alerts,
                        ioLogs),
                new TransportErrors(errors, bodies));
        Gateway gateway =
                new Gateway(config, server, storage, generations, adapters, ticker, simulator, alerts, ioLogs);
        if (server.port() < 0) {
            gateway.close();
            throw new StartupFailure("cannot listen on " + config.server().host() + ":"
                    + config.server().port() + " (is another process using the port? choose another with --port)");
        }
        // Keys are created only once the server listens, so a start that fails does not use up the one-time secrets.
        try {
            gateway.createdKeys.addAll(initialKeys(keys, adminKey));
        } catch (IllegalArgumentException e) {
            gateway.close();
            throw new StartupFailure(String.valueOf(e.getMessage()), e);
        }
        return gateway;
    }

    private static List<CreatedKey> initialKeys(KeyRegistry keys, Optional<String> adminKey) {
        List<CreatedKey> created = new ArrayList<>();
        keys.ensureManagementKey(adminKey).ifPresent(management -> {
            created.add(management);
            created.add(keys.create("Default API key (created at first start)", false));
        });
        return created;
    }

    /**
     * The BYOK credentials, each opened with the master keys of the configuration (and sealed again with
     * the current one when a previous one sealed it).
     *
     * @throws IllegalStateException when a master key file cannot be read, or a stored credential cannot
     *         be opened with the keys configured: one line, never a secret
     */
    private static ByokRegistry openByok(GatewayConfig config, Storage storage, Clock clock) {
        GatewayConfig.Byok settings = config.byok();
        MasterKeys masterKeys = MasterKeys.load(
                settings.masterKey(), settings.masterKeyFile(), settings.previousMasterKeys(), config.dataDir());
        return ByokRegistry.open(storage.byokKeys(), new SecretSealer(masterKeys), clock);
    }

    private static HttpRouting.Builder routing(
            GatewayConfig config,
            Storage storage,
            KeyRegistry keys,
            ByokRegistry byok,
            GenerationLog generations,
            ProviderAdapters adapters,
            Ticker ticker,
            ErrorResponses errors,
            RequestBodies bodies,
            ObjectMapper json,
            Clock clock,
            WebhookAlerts alerts,
            IoLogWriter ioLogs) {
        Catalog catalog = new Catalog(config.providers(), config.models());
        GatewayMetrics metrics = new GatewayMetrics(generations, storage);
        TokenEstimator estimator = new TokenEstimator();
        CreditBook book = new CreditBook(
                storage.credits(),
                generations::usage,
                generations::byokUsage,
                clock,
                config.credits().enforce());
        UsageLedger ledger = new UsageLedger(
                generations,
                metrics::record,
                estimator,
                clock,
                config.timeouts().total().plus(RESERVATION_MARGIN),
                book,
                new SpendThresholds(alerts, clock)::settled,
                config.byok().fee());
        EndpointHealth health = LocalEndpointHealth.system();
        StickyRoutes sticky = LocalStickyRoutes.system();
        GrantedCredits granted = new GrantedCredits(storage.credits(), clock);
        RequestLimiter limiter = new LocalRequestLimiter(
                clock,
                estimator,
                config.limits().perWorkspace(),
                config.limits().freeModels() ? Optional.of(granted) : Optional.empty());
        RequestPipeline pipeline = new RequestPipeline(
                limiter,
                new RoutingPlanner(
                        () -> catalog,
                        health,
                        sticky,
                        ThreadLocalRandom::current,
                        config.routing().defaultProvider()),
                health,
                new RetryPolicy(
                        config.routing().retries(),
                        config.routing().retryBackoff(),
                        config.routing().maxRetryWait(),
                        RetryPolicy.Pause.SLEEP),
                new HedgePolicy(config.routing().hedge()),
                sticky,
                adapters,
                new ByokCredentials(byok),
                ledger,
                new TimeoutWatchdog(ticker),
                config.timeouts(),
                estimator,
                config.upstream().nativeRelay());
        PresetRegistry presets = new PresetRegistry(storage.presets(), json, clock);
        ApiRouteTable table = new ApiRouteTable();
        new ChatCompletionsEndpoint(
                        keys,
                        bodies,
                        generations,
                        new RequestPresets(presets),
                        pipeline,
                        errors,
                        json,
                        ticker,
                        config.streaming().keepAliveInterval(),
                        clock,
                        config.routing().modelNames(),
                        ioLogs)
                .register(table);
        new CatalogEndpoints(() -> catalog, json, health).register(table);
        new KeyEndpoints(
                        keys,
                        generations,
                        bodies,
                        json,
                        clock,
                        workspace -> book.balance(workspace).credits().signum() > 0,
                        limiter::freeModelUsage)
                .register(table);
        new IoLogEndpoints(keys, storage.ioLogs(), json).register(table);
        new CreditEndpoints(keys, book, storage.credits(), bodies, json, clock, granted::changed).register(table);
        new GenerationEndpoint(keys, generations, json).register(table);
        new PresetEndpoints(keys, presets, bodies, json).register(table);
        new ByokEndpoints(
                        keys,
                        byok,
                        catalog.providers().stream().map(Provider::slug).toList(),
                        bodies,
                        json)
                .register(table);
        new ActivityEndpoint(keys, storage.reports(), json, clock).register(table);
        new AppRankingsEndpoint(keys, storage.reports(), json, clock).register(table);
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.addFilter(new ConnectionHygiene(bodies));
        new ApiRoutes(table, errors, metrics, new HealthCheck(storage, generations, json)).install(routing);
        return routing;
    }

    private static WebServer server(
            GatewayConfig config, HttpRouting.Builder routing, TransportErrors transportErrors) {
        return WebServer.builder()
                .host(config.server().host())
                .port(config.server().port())
                // Each SSE event is flushed on its own; Nagle's algorithm would hold it for the client's delayed ACK.
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                // Bodies over the limit are refused by the server itself before routing (declared length) or
                // while read (chunked); either way it answers 413 and closes the connection.
                .maxPayloadSize(config.server().maxBodyBytes())
                .maxTcpConnections(config.server().maxConnections())
                // HTTP/1.1 as Helidon serves it, and HTTP/1.0 too, which it alone refuses (see HttpVersionSelector)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(HttpVersionSelector.create())
                // gzip request bodies are decompressed; responses are never compressed (see RequestEncodings)
                .contentEncoding(RequestEncodings.context())
                .directHandlers(transportErrors(transportErrors))
                .routing(routing)
                .build()
                .start();
    }

    private static DirectHandlers transportErrors(TransportErrors handler) {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    public int port() {
        return server.port();
    }

    public GatewayConfig config() {
        return config;
    }

    /** Keys created by this start (first start only), with their secrets; shown once by the banner. */
    public List<CreatedKey> createdKeys() {
        return List.copyOf(createdKeys);
    }

    public boolean simulated() {
        return simulator.isPresent();
    }

    /** The start-up banner: where it listens, what it stores, which providers are usable. */
    public String banner() {
        StringBuilder out = new StringBuilder();
        out.append("Switchboard listening on http://")
                .append(config.server().host())
                .append(':')
                .append(port())
                .append("/api/v1\n");
        out.append("  storage: ").append(storage.describe()).append('\n');
        out.append("  models: ").append(config.models().size()).append('\n');
        out.append("  credits: ")
                .append(
                        config.credits().enforce()
                                ? "enforced (requests a workspace cannot pay for get 402)"
                                : "metered, not enforced (set credits.enforce: true to refuse what a workspace cannot pay for)")
                .append('\n');
        List<String> available = config.providers().stream()
                .filter(Provider::available)
                .map(Provider::slug)
                .toList();
        out.append("  providers available: ")
                .append(available.isEmpty() ? "none" : String.join(", ", available))
                .append('\n');
        long unavailable =
                config.providers().stream().filter(p -> !p.available()).count();
        out.append("  providers without credentials: ").append(unavailable).append(" (see GET /api/v1/providers)\n");
        simulator.ifPresent(s -> out.append(
                        "\n  NOTE: no provider has credentials, so the built-in upstream SIMULATOR is serving the\n")
                .append("  simulator/* models at ")
                .append(s.baseUrl())
                .append(". Responses are SIMULATED, not from a real model.\n")
                .append("  Set OPENAI_API_KEY, ANTHROPIC_API_KEY, ... (or a config file) to use real providers.\n"));
        for (CreatedKey key : createdKeys) {
            out.append("\n  ")
                    .append(key.key().management() ? "Management key" : "API key")
                    .append(" (shown once, store it now): ")
                    .append(key.secret())
                    .append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop();
        generations.close();
        ioLogs.close();
        storage.close();
        adapters.close();
        ticker.close();
        alerts.close();
        simulator.ifPresent(UpstreamSimulator::close);
    }
}
