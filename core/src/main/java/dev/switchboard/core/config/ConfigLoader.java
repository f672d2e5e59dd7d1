package dev.switchboard.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.core.upstream.Timeouts;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the configuration: the bundled model catalog, then the configuration file over it, then
 * {@code SWITCHBOARD_*} environment variables, then command-line options.
 *
 * <p>Environment overrides: every scalar setting has one, named {@code SWITCHBOARD_} plus its path in
 * capitals with {@code _} for {@code .}: {@code SWITCHBOARD_SERVER_PORT}, {@code SWITCHBOARD_STORAGE_URL},
 * {@code SWITCHBOARD_TIMEOUTS_FIRST_BYTE}, {@code SWITCHBOARD_STREAMING_KEEPALIVE_INTERVAL}; a provider's
 * {@code api_key} and {@code base_url} are {@code SWITCHBOARD_PROVIDERS_<SLUG>_API_KEY} and
 * {@code ..._BASE_URL} (slug in capitals, other characters as {@code _}). {@code SWITCHBOARD_PORT} and
 * {@code SWITCHBOARD_DATA_DIR} are shorthands. {@code ${VAR}} references in the file are resolved first.
 *
 * <p>Validation is complete before anything starts: every problem is collected with its file and path
 * and thrown together as one {@link ConfigException}. Nothing is silently repaired.
 */
public final class ConfigLoader {
    public static final String BUNDLED_CATALOG = "catalog/bundled-catalog.yaml";
    private static final Set<String> TOP_KEYS = Set.of("server", "storage", "timeouts", "streaming", "providers", "models");
    private static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

    private final Map<String, String> env;
    private final Set<String> supportedKinds;
    private final ObjectMapper yaml;

    /**
     * @param env            the process environment (injected so tests control it)
     * @param supportedKinds wire formats an adapter exists for
     */
    public ConfigLoader(Map<String, String> env, Set<String> supportedKinds) {
        this.env = Map.copyOf(env);
        this.supportedKinds = Set.copyOf(supportedKinds);
        this.yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    public GatewayConfig load(Optional<Path> file, Overrides overrides) {
        Problems problems = new Problems();
        Map<String, List<String>> missingEnv = new HashMap<>();
        ObjectNode bundled = resolveReferences(readBundled(), "bundled catalog", "", missingEnv);
        ObjectNode user = file.map(f -> readFile(f, problems)).orElseGet(JsonNodeFactory.instance::objectNode);
        String source = file.map(Path::toString).orElse("environment");
        resolveReferences(user, source, "", missingEnv);
        applyEnvironment(user);
        applyProviderEnvironment(bundled);
        applyProviderEnvironment(user);

        ConfigNode root = new ConfigNode(user, source, "", problems);
        root.onlyKeys(TOP_KEYS);
        CatalogReader catalog = new CatalogReader(supportedKinds, missingEnv);
        ConfigNode bundledRoot = new ConfigNode(bundled, "bundled catalog", "", problems);
        catalog.readProviders(bundledRoot);
        catalog.readProviders(root);
        catalog.readModels(bundledRoot);
        catalog.readModels(root);

        GatewayConfig.Server server = server(root.child("server"), overrides);
        Path dataDir = overrides.dataDir().or(() -> Optional.ofNullable(env.get("SWITCHBOARD_DATA_DIR")).map(Path::of))
                .orElse(Path.of("data"));
        GatewayConfig.Storage storage = storage(root.child("storage"), dataDir);
        Timeouts timeouts = timeouts(root.child("timeouts"));
        ConfigNode streamingNode = root.child("streaming");
        streamingNode.onlyKeys(Set.of("keepalive_interval"));
        GatewayConfig.Streaming streaming = new GatewayConfig.Streaming(
                streamingNode.duration("keepalive_interval", Duration.ofSeconds(1)));
        problems.throwIfAny();
        return new GatewayConfig(server, storage, timeouts, streaming, dataDir,
                List.copyOf(catalog.providers().values()), catalog.models(), file);
    }

    private GatewayConfig.Server server(ConfigNode node, Overrides overrides) {
        node.onlyKeys(Set.of("host", "port", "max_body_bytes"));
        String host = overrides.host().orElse(node.string("host", "127.0.0.1"));
        long port = overrides.port().map(Integer::longValue).orElse(node.longValue("port", 8080, 0, 65535));
        if (port < 0 || port > 65535) {
            node.problem("port", "must be between 0 and 65535");
        }
        long maxBody = node.longValue("max_body_bytes", DEFAULT_MAX_BODY, 1024, Integer.MAX_VALUE);
        return new GatewayConfig.Server(host, (int) port, maxBody);
    }

    private static GatewayConfig.Storage storage(ConfigNode node, Path dataDir) {
        node.onlyKeys(Set.of("url"));
        String url = node.string("url", "sqlite:" + dataDir.resolve("switchboard.db"));
        if (!url.startsWith("sqlite:") || url.length() == "sqlite:".length()) {
            node.problem("url", "must be sqlite:PATH (PostgreSQL arrives with multi-node support)");
        }
        return new GatewayConfig.Storage(url);
    }

    private static Timeouts timeouts(ConfigNode node) {
        node.onlyKeys(Set.of("connect", "first_byte", "idle", "total"));
        Timeouts d = Timeouts.defaults();
        return new Timeouts(node.duration("connect", d.connect()), node.duration("first_byte", d.firstByte()),
                node.duration("idle", d.idle()), node.duration("total", d.total()));
    }

    private ObjectNode readBundled() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(BUNDLED_CATALOG)) {
            if (in == null) {
                throw new IllegalStateException("bundled catalog missing from the class path: " + BUNDLED_CATALOG);
            }
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("bundled catalog unreadable", e);
        }
    }

    private ObjectNode readFile(Path file, Problems problems) {
        try {
            JsonNode tree = yaml.readTree(Files.readString(file));
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!tree.isObject()) {
                problems.add(file.toString(), "", "must be a YAML mapping at the top level");
                return JsonNodeFactory.instance.objectNode();
            }
            return (ObjectNode) tree;
        } catch (JsonProcessingException e) {
            problems.add(file.toString(), yamlErrorPosition(e), "invalid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            problems.add(file.toString(), "", "cannot read: " + e.getMessage());
        }
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Where a YAML error is: SnakeYAML's problem mark when there is one (the parser's last token, which
     * Jackson reports, may be lines earlier), else Jackson's location.
     */
    private static String yamlErrorPosition(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                return "line " + (marked.getProblemMark().getLine() + 1) + ", column " + (marked.getProblemMark().getColumn() + 1);
            }
        }
        return e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /** Replaces {@code ${VAR}} in every string of the tree, remembering unset variables by path. */
    private ObjectNode resolveReferences(JsonNode node, String source, String path, Map<String, List<String>> missing) {
        EnvReferences references = new EnvReferences(env);
        walk(node, source, path, missing, references);
        return (ObjectNode) node;
    }

    private void walk(JsonNode node, String source, String path, Map<String, List<String>> missing, EnvReferences refs) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            object.properties().forEach(entry -> {
                String childPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                JsonNode child = entry.getValue();
                if (child.isTextual()) {
                    EnvReferences.Resolved resolved = refs.resolve(child.asText());
                    entry.setValue(TextNode.valueOf(resolved.value()));
                    if (!resolved.missing().isEmpty()) {
                        missing.put(source + ":" + childPath, resolved.missing());
                    }
                } else {
                    walk(child, source, childPath, missing, refs);
                }
            });
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    EnvReferences.Resolved resolved = refs.resolve(array.get(i).asText());
                    array.set(i, TextNode.valueOf(resolved.value()));
                    if (!resolved.missing().isEmpty()) {
                        missing.put(source + ":" + childPath, resolved.missing());
                    }
                } else {
                    walk(array.get(i), source, childPath, missing, refs);
                }
            }
        }
    }

    private void applyEnvironment(ObjectNode root) {
        override(root, "server", "host", "SWITCHBOARD_SERVER_HOST");
        override(root, "server", "port", "SWITCHBOARD_PORT");
        override(root, "server", "port", "SWITCHBOARD_SERVER_PORT");
        override(root, "server", "max_body_bytes", "SWITCHBOARD_SERVER_MAX_BODY_BYTES");
        override(root, "storage", "url", "SWITCHBOARD_STORAGE_URL");
        for (String key : List.of("connect", "first_byte", "idle", "total")) {
            override(root, "timeouts", key, "SWITCHBOARD_TIMEOUTS_" + key.toUpperCase(Locale.ROOT));
        }
        override(root, "streaming", "keepalive_interval", "SWITCHBOARD_STREAMING_KEEPALIVE_INTERVAL");
    }

    private void override(ObjectNode root, String section, String key, String variable) {
        String value = env.get(variable);
        if (value != null && !value.isBlank()) {
            JsonNode existing = root.get(section);
            ObjectNode target = existing instanceof ObjectNode object ? object : root.putObject(section);
            target.put(key, value.strip());
        }
    }

    /**
     * Writes {@code SWITCHBOARD_PROVIDERS_<SLUG>_API_KEY} and {@code _BASE_URL} into every provider entry of
     * that slug, before the entries are read, so that they are validated like the file (a bad URL is a
     * problem) and do not undo other settings ({@code enabled: false} stays disabled).
     */
    private void applyProviderEnvironment(ObjectNode root) {
        for (JsonNode provider : root.path("providers")) {
            if (provider instanceof ObjectNode node && node.path("slug").isTextual()) {
                String slug = node.path("slug").asText().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
                overrideField(node, "api_key", "SWITCHBOARD_PROVIDERS_" + slug + "_API_KEY");
                overrideField(node, "base_url", "SWITCHBOARD_PROVIDERS_" + slug + "_BASE_URL");
            }
        }
    }

    private void overrideField(ObjectNode node, String key, String variable) {
        String value = env.get(variable);
        if (value != null && !value.isBlank()) {
            node.put(key, value.strip());
        }
    }
}
