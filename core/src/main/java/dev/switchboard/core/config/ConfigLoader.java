package dev.switchboard.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.byok.ByokFee;
import dev.switchboard.core.byok.MasterKey;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.storage.StorageFactory;
import dev.switchboard.core.storage.StorageUrl;
import dev.switchboard.core.upstream.Timeouts;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Loads the configuration: the bundled model catalog, then the configuration file over it, then
 * {@code SWITCHBOARD_*} environment variables, then command-line options.
 *
 * <p>Merging: a file provider whose slug is a bundled provider's is merged over it field by field (the
 * fields it leaves out keep their bundled values, {@code api_key: ${OPENAI_API_KEY}} included; a field
 * set to null is removed). A file model whose id is a bundled model's replaces it whole: model entries
 * are data, and half of one model's endpoints mixed with another's would be neither. Within one file a
 * slug or model id may appear only once.
 *
 * <p>Environment overrides exist for every setting and every scalar provider field, and for nothing in
 * {@code models:} (catalog entries come from files; use {@code ${VAR}} in a file for anything that must
 * come from the environment). A setting's variable is {@code SWITCHBOARD_} plus its path in capitals
 * with {@code _} for {@code .}: {@code SWITCHBOARD_SERVER_PORT}, {@code SWITCHBOARD_STORAGE_URL},
 * {@code SWITCHBOARD_TIMEOUTS_FIRST_BYTE}, {@code SWITCHBOARD_STREAMING_KEEPALIVE_INTERVAL},
 * {@code SWITCHBOARD_LIMITS_WORKSPACE_REQUESTS_PER_MINUTE}. A provider's
 * is {@code SWITCHBOARD_PROVIDERS_<SLUG>_<FIELD>} (slug in capitals, other characters as {@code _}) for
 * {@code name}, {@code kind}, {@code base_url}, {@code api_key}, {@code enabled},
 * {@code max_tokens_field}, {@code http_version} and the descriptive links; it changes a provider that the bundled catalog or
 * the file defines and never creates one. {@code SWITCHBOARD_PORT} and {@code SWITCHBOARD_DATA_DIR} are
 * shorthands. {@code ${VAR}} references in the files are resolved before any override is applied.
 * {@code SWITCHBOARD_ALLOW_NEW_DATABASE} (like {@code --allow-new-database}) is a decision for one start,
 * not a setting, so it has no key in the file. {@code routing.default_provider} and
 * {@code routing.force_model} are also command-line options ({@code --default-provider},
 * {@code --force-model}); {@code routing.model_aliases}, a list, comes from the file only. A provider's
 * {@code identity} fields are {@code SWITCHBOARD_PROVIDERS_<SLUG>_IDENTITY_USER_AGENT} (and
 * {@code _HTTP_REFERER}, {@code _X_TITLE}).
 *
 * <p>Validation is complete before anything starts: every problem is collected and thrown together as
 * one {@link ConfigException}. Each names where its value came from: the file and the dotted path, or
 * the environment variable or command-line option that supplied the value, and any unset
 * {@code ${VAR}} the value was built from. Types are strict (see {@link ConfigNode}). Nothing is
 * silently repaired.
 */
public final class ConfigLoader {
    public static final String BUNDLED_CATALOG = "catalog/bundled-catalog.yaml";
    private static final String BUNDLED_SOURCE = "bundled catalog";
    private static final Set<String> TOP_KEYS = Set.of(
            "server",
            "storage",
            "timeouts",
            "upstream",
            "streaming",
            "routing",
            "credits",
            "alerts",
            "io_logging",
            "limits",
            "byok",
            "providers",
            "models");
    private static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;
    private static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    private static final long DEFAULT_MAX_CONNECTIONS = 10_000;
    private static final String ALLOW_NEW_DATABASE = "SWITCHBOARD_ALLOW_NEW_DATABASE";

    private final Map<String, String> env;
    private final Set<String> supportedKinds;
    private final Set<String> storageSchemes;
    private final YamlReader yaml = new YamlReader();

    /**
     * @param env            the process environment (injected so tests control it)
     * @param supportedKinds wire formats an adapter exists for
     * @param storageSchemes storage URL schemes a backend exists for ({@link StorageFactory#schemes()})
     */
    public ConfigLoader(Map<String, String> env, Set<String> supportedKinds, Set<String> storageSchemes) {
        this.env = Map.copyOf(env);
        this.supportedKinds = Set.copyOf(supportedKinds);
        this.storageSchemes = Set.copyOf(storageSchemes);
    }

    public GatewayConfig load(Optional<Path> file, Overrides overrides) {
        Provenance provenance = new Provenance();
        Problems problems = new Problems(provenance);
        String source = file.map(Path::toString).orElse("environment");
        ObjectNode bundled = yaml.resource(BUNDLED_CATALOG);
        ObjectNode user = file.map(f -> yaml.file(f, problems)).orElseGet(JsonNodeFactory.instance::objectNode);
        Set<String> merged = inheritBundledProviderFields(bundled, user);
        EnvReferences references = new EnvReferences(env);
        references.resolveAll(bundled, BUNDLED_SOURCE, "", provenance);
        references.resolveAll(user, source, "", provenance);
        OverrideWriter overrideWriter = new OverrideWriter(env, provenance);
        overrideWriter.providers(bundled, BUNDLED_SOURCE, merged);
        overrideWriter.providers(user, source, Set.of());
        overrideWriter.settings(user, source);
        overrideWriter.commandLine(user, source, overrides);

        ConfigNode root = new ConfigNode(user, source, "", problems);
        root.onlyKeys(TOP_KEYS);
        CatalogReader catalog = readCatalog(
                new ConfigNode(bundled, BUNDLED_SOURCE, "", problems),
                root,
                provenance,
                file.map(ConfigLoader::lastModified).orElse(0L));
        Path dataDir = overrides
                .dataDir()
                .or(() -> Optional.ofNullable(env.get("SWITCHBOARD_DATA_DIR")).map(Path::of))
                .orElse(Path.of("data"));
        GatewayConfig.Server server = server(root.section("server"));
        GatewayConfig.Storage storage = storage(
                root.section("storage"),
                dataDir,
                overrides.allowNewDatabase() || allowNewDatabaseFromEnvironment(problems));
        Timeouts timeouts = timeouts(root.section("timeouts"));
        GatewayConfig.Upstream upstream = upstream(root.section("upstream"));
        GatewayConfig.Streaming streaming = streaming(root.section("streaming"));
        GatewayConfig.Routing routing = routing(root.section("routing"), catalog);
        GatewayConfig.Credits credits = credits(root.section("credits"));
        GatewayConfig.Alerts alerts = alerts(root.section("alerts"));
        GatewayConfig.IoLogging ioLogging = ioLogging(root.section("io_logging"));
        GatewayConfig.Limits limits = limits(root.section("limits"));
        GatewayConfig.Byok byok = byok(root.section("byok"));
        problems.throwIfAny();
        return new GatewayConfig(
                server,
                storage,
                timeouts,
                upstream,
                streaming,
                routing,
                credits,
                alerts,
                ioLogging,
                limits,
                byok,
                dataDir,
                List.copyOf(catalog.providers().values()),
                catalog.models(),
                file);
    }

    private CatalogReader readCatalog(ConfigNode bundled, ConfigNode file, Provenance provenance, long fileModified) {
        CatalogReader catalog = new CatalogReader(supportedKinds, provenance);
        catalog.readProviders(bundled);
        catalog.readProviders(file);
        catalog.readModels(bundled, 0);
        catalog.readModels(file, fileModified);
        return catalog;
    }

    /** When the file was last changed, in Unix seconds; 0 when that cannot be read (the reader reports the file). */
    private static long lastModified(Path file) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file).toInstant().getEpochSecond();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * Gives each file provider entry that has a bundled provider's slug the bundled entry's fields it does
     * not mention itself, before references are resolved, so that inherited {@code ${VAR}}s behave as if
     * written in the file.
     *
     * @return the slugs merged, whose bundled entries are superseded
     */
    private static Set<String> inheritBundledProviderFields(ObjectNode bundled, ObjectNode file) {
        Map<String, ObjectNode> bySlug = new HashMap<>();
        for (JsonNode entry : bundled.path("providers")) {
            bySlug.put(entry.path("slug").asText(), (ObjectNode) entry);
        }
        Set<String> merged = new HashSet<>();
        if (!file.path("providers").isArray()) {
            return merged;
        }
        for (JsonNode entry : file.path("providers")) {
            ObjectNode base = bySlug.get(entry.path("slug").asText(null));
            if (entry instanceof ObjectNode override && base != null) {
                base.properties().stream()
                        .filter(field -> !override.has(field.getKey()))
                        .forEach(field ->
                                override.set(field.getKey(), field.getValue().deepCopy()));
                merged.add(override.path("slug").asText());
            }
        }
        return merged;
    }

    private static GatewayConfig.Server server(ConfigNode node) {
        node.onlyKeys(Set.of("host", "port", "max_body_bytes", "body_timeout", "max_connections"));
        String host = node.string("host", "127.0.0.1");
        long port = node.longValue("port", 8080, 0, 65535);
        long maxBody = node.longValue("max_body_bytes", DEFAULT_MAX_BODY, 1024, Integer.MAX_VALUE);
        Duration bodyTimeout = node.duration("body_timeout", DEFAULT_BODY_TIMEOUT);
        long maxConnections = node.longValue("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000);
        return new GatewayConfig.Server(host, (int) port, maxBody, bodyTimeout, (int) maxConnections);
    }

    private static GatewayConfig.Upstream upstream(ConfigNode node) {
        node.onlyKeys(
                Set.of("max_body_bytes", "max_event_bytes", "native_relay", "pool_idle_timeout", "pool_max_idle"));
        GatewayConfig.Upstream d = GatewayConfig.Upstream.DEFAULTS;
        long maxBody = node.longValue("max_body_bytes", d.maxBodyBytes(), 1024, Integer.MAX_VALUE - 8);
        long maxEvent = node.longValue("max_event_bytes", d.maxEventBytes(), 1024, Integer.MAX_VALUE - 8);
        boolean nativeRelay = node.bool("native_relay", d.nativeRelay());
        Duration poolIdleTimeout = node.duration("pool_idle_timeout", d.poolIdleTimeout());
        long poolMaxIdle = node.longValue("pool_max_idle", d.poolMaxIdle(), 0, 100_000);
        return new GatewayConfig.Upstream(maxBody, (int) maxEvent, nativeRelay, poolIdleTimeout, (int) poolMaxIdle);
    }

    private GatewayConfig.Storage storage(ConfigNode node, Path dataDir, boolean allowNewDatabase) {
        node.onlyKeys(Set.of("url", "max_pending_records"));
        String url = node.string("url", "sqlite:" + dataDir.resolve("switchboard.db"));
        storageUrlProblem(url).ifPresent(problem -> node.problem("url", problem));
        long maxPending =
                node.longValue("max_pending_records", GenerationLog.Limits.DEFAULT_MAX_PENDING, 1, 10_000_000);
        return new GatewayConfig.Storage(url, (int) maxPending, allowNewDatabase);
    }

    /** What is wrong with a storage URL as far as can be told without opening it: its form and its scheme. */
    private Optional<String> storageUrlProblem(String url) {
        try {
            String scheme = StorageUrl.parse(url).scheme();
            return storageSchemes.contains(scheme)
                    ? Optional.empty()
                    : Optional.of(StorageFactory.unknownScheme(scheme, storageSchemes));
        } catch (IllegalArgumentException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    private boolean allowNewDatabaseFromEnvironment(Problems problems) {
        String value = Optional.ofNullable(env.get(ALLOW_NEW_DATABASE))
                .map(String::strip)
                .orElse("");
        if (value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        problems.add("environment variable " + ALLOW_NEW_DATABASE, "", "must be true or false");
        return false;
    }

    private static Timeouts timeouts(ConfigNode node) {
        node.onlyKeys(Set.of("connect", "first_byte", "idle", "total"));
        Timeouts d = Timeouts.defaults();
        return new Timeouts(
                node.duration("connect", d.connect()),
                node.duration("first_byte", d.firstByte()),
                node.duration("idle", d.idle()),
                node.duration("total", d.total()));
    }

    private static GatewayConfig.Routing routing(ConfigNode node, CatalogReader catalog) {
        node.onlyKeys(Set.of(
                "retries",
                "retry_backoff",
                "max_retry_wait",
                "hedge",
                "model_aliases",
                "force_model",
                "default_provider"));
        GatewayConfig.Routing d = GatewayConfig.Routing.DEFAULTS;
        return new GatewayConfig.Routing(
                (int) node.longValue("retries", d.retries(), 0, 5),
                node.duration("retry_backoff", d.retryBackoff()),
                node.duration("max_retry_wait", d.maxRetryWait()),
                hedge(node.section("hedge"), catalog.models()),
                ModelNamesReader.aliases(node),
                ModelNamesReader.forceModel(node, catalog.models()),
                ModelNamesReader.defaultProvider(node, catalog.providers()));
    }

    /** {@code routing.hedge}: model id to the wait after which its requests start a second attempt. */
    private static Map<String, Duration> hedge(ConfigNode node, List<Model> models) {
        Set<String> known = new HashSet<>();
        models.forEach(m -> known.add(m.id()));
        Map<String, Duration> hedge = new LinkedHashMap<>();
        for (String model : node.keys()) {
            if (!known.contains(model)) {
                node.problem(model, "is not a model of the catalog");
                continue;
            }
            hedge.put(model, node.duration(model, Duration.ZERO));
        }
        return hedge;
    }

    private static GatewayConfig.Credits credits(ConfigNode node) {
        node.onlyKeys(Set.of("enforce"));
        return new GatewayConfig.Credits(node.bool("enforce", GatewayConfig.Credits.DEFAULTS.enforce()));
    }

    /** The shortest webhook secret accepted: HMAC keys shorter than this are guessable. */
    static final int MIN_ALERT_SECRET = 16;

    private static GatewayConfig.Alerts alerts(ConfigNode node) {
        node.onlyKeys(Set.of("webhook_url", "secret", "retry_backoff"));
        Optional<java.net.URI> url = node.string("webhook_url").flatMap(text -> {
            try {
                java.net.URI uri = new java.net.URI(text.strip());
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return Optional.of(uri);
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            node.problem("webhook_url", "must be an http or https URL");
            return Optional.empty();
        });
        Optional<String> secret = node.string("secret");
        if (url.isPresent() && secret.map(s -> s.length() < MIN_ALERT_SECRET).orElse(true)) {
            node.problem("secret", "must be set, at least " + MIN_ALERT_SECRET + " characters, when webhook_url is");
        }
        return new GatewayConfig.Alerts(
                url, secret, node.duration("retry_backoff", GatewayConfig.Alerts.DEFAULTS.retryBackoff()));
    }

    private static GatewayConfig.IoLogging ioLogging(ConfigNode node) {
        node.onlyKeys(Set.of("workspaces", "keys", "retention", "max_chars"));
        GatewayConfig.IoLogging d = GatewayConfig.IoLogging.DEFAULTS;
        List<String> keys = node.stringList("keys");
        for (String key : keys) {
            if (!key.matches("[0-9a-f]{64}")) {
                node.problem("keys", "must list key hashes (64 lowercase hex characters, as GET /keys shows them)");
                break;
            }
        }
        return new GatewayConfig.IoLogging(
                Set.copyOf(node.stringList("workspaces")),
                Set.copyOf(keys),
                node.duration("retention", d.retention()),
                (int) node.longValue("max_chars", d.maxChars(), 1_000, 10_000_000));
    }

    private static GatewayConfig.Limits limits(ConfigNode node) {
        node.onlyKeys(Set.of("free_models", "workspace_requests_per_minute", "workspace_tokens_per_minute"));
        boolean freeModels = node.bool("free_models", GatewayConfig.Limits.DEFAULTS.freeModels());
        OptionalLong requests = perMinute(node, "workspace_requests_per_minute", RateLimit.MAX_REQUESTS_PER_MINUTE);
        OptionalLong tokens = perMinute(node, "workspace_tokens_per_minute", RateLimit.MAX_TOKENS_PER_MINUTE);
        return new GatewayConfig.Limits(freeModels, new RateLimit(requests, tokens));
    }

    /** A rate: absent or null for none, else an integer from 1 to {@code max}. */
    private static OptionalLong perMinute(ConfigNode node, String key, long max) {
        if (!node.has(key)) {
            return OptionalLong.empty();
        }
        long value = node.longValue(key, 0, 1, max);
        return value > 0 ? OptionalLong.of(value) : OptionalLong.empty();
    }

    /**
     * {@code byok}: the master key (or its file), previous master keys (a list, or one text of
     * comma-separated keys as {@code SWITCHBOARD_BYOK_PREVIOUS_MASTER_KEYS} gives them), and the fee in
     * percent. A problem with a key never quotes it.
     */
    private static GatewayConfig.Byok byok(ConfigNode node) {
        node.onlyKeys(Set.of("master_key", "master_key_file", "previous_master_keys", "fee_percent"));
        Optional<String> masterKey = node.string("master_key").filter(k -> !k.isBlank());
        if (masterKey.isPresent() && !MasterKey.valid(masterKey.get())) {
            node.problem("master_key", MasterKey.NOT_A_KEY);
        }
        Optional<Path> file =
                node.string("master_key_file").filter(f -> !f.isBlank()).map(Path::of);
        if (masterKey.isPresent() && file.isPresent()) {
            node.problem("master_key_file", "must not be set together with master_key; the key comes from one of them");
        }
        List<String> previous = previousMasterKeys(node);
        BigDecimal percent = node.decimal("fee_percent").orElse(ByokFee.DEFAULT.percent());
        if (percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            node.problem("fee_percent", "must be a percentage from 0 to 100");
            percent = ByokFee.DEFAULT.percent();
        }
        return new GatewayConfig.Byok(masterKey, file, previous, new ByokFee(percent.stripTrailingZeros()));
    }

    private static List<String> previousMasterKeys(ConfigNode node) {
        if (!node.has("previous_master_keys")) {
            return List.of();
        }
        List<String> keys = node.isList("previous_master_keys")
                ? node.stringList("previous_master_keys")
                : node.string("previous_master_keys")
                        .map(text -> java.util.Arrays.stream(text.split(","))
                                .map(String::strip)
                                .filter(k -> !k.isEmpty())
                                .toList())
                        .orElse(List.of());
        for (String key : keys) {
            if (!MasterKey.valid(key)) {
                node.problem("previous_master_keys", "must list master keys, each " + MasterKey.NOT_A_KEY);
                return List.of();
            }
        }
        return keys;
    }

    private static GatewayConfig.Streaming streaming(ConfigNode node) {
        node.onlyKeys(Set.of("keepalive_interval"));
        return new GatewayConfig.Streaming(node.duration("keepalive_interval", Duration.ofSeconds(1)));
    }
}
