package dev.switchboard.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes {@code SWITCHBOARD_*} environment variables and command-line options over a configuration
 * tree before it is read, so that an overriding value is validated exactly like the file's (a bad
 * duration is a problem) and leaves other settings alone ({@code enabled: false} stays disabled when
 * the key comes from the environment). Each value written is recorded in {@link Provenance}, so that
 * a problem with it names the variable or option rather than the file.
 *
 * <p>Blank variables are ignored. A section that is present but not a mapping ({@code server: 8080})
 * is left as it is, for the reader to report.
 */
final class OverrideWriter {
    /** Section, key, variable; later variables for the same key win ({@code SWITCHBOARD_SERVER_PORT} over {@code SWITCHBOARD_PORT}). */
    private static final List<Setting> SETTINGS = List.of(
            new Setting("server", "host", "SWITCHBOARD_SERVER_HOST"),
            new Setting("server", "port", "SWITCHBOARD_PORT"),
            new Setting("server", "port", "SWITCHBOARD_SERVER_PORT"),
            new Setting("server", "max_body_bytes", "SWITCHBOARD_SERVER_MAX_BODY_BYTES"),
            new Setting("server", "body_timeout", "SWITCHBOARD_SERVER_BODY_TIMEOUT"),
            new Setting("server", "max_connections", "SWITCHBOARD_SERVER_MAX_CONNECTIONS"),
            new Setting("storage", "url", "SWITCHBOARD_STORAGE_URL"),
            new Setting("storage", "max_pending_records", "SWITCHBOARD_STORAGE_MAX_PENDING_RECORDS"),
            new Setting("timeouts", "connect", "SWITCHBOARD_TIMEOUTS_CONNECT"),
            new Setting("timeouts", "first_byte", "SWITCHBOARD_TIMEOUTS_FIRST_BYTE"),
            new Setting("timeouts", "idle", "SWITCHBOARD_TIMEOUTS_IDLE"),
            new Setting("timeouts", "total", "SWITCHBOARD_TIMEOUTS_TOTAL"),
            new Setting("upstream", "max_body_bytes", "SWITCHBOARD_UPSTREAM_MAX_BODY_BYTES"),
            new Setting("upstream", "max_event_bytes", "SWITCHBOARD_UPSTREAM_MAX_EVENT_BYTES"),
            new Setting("upstream", "native_relay", "SWITCHBOARD_UPSTREAM_NATIVE_RELAY"),
            new Setting("upstream", "pool_idle_timeout", "SWITCHBOARD_UPSTREAM_POOL_IDLE_TIMEOUT"),
            new Setting("upstream", "pool_max_idle", "SWITCHBOARD_UPSTREAM_POOL_MAX_IDLE"),
            new Setting("streaming", "keepalive_interval", "SWITCHBOARD_STREAMING_KEEPALIVE_INTERVAL"),
            new Setting("routing", "retries", "SWITCHBOARD_ROUTING_RETRIES"),
            new Setting("credits", "enforce", "SWITCHBOARD_CREDITS_ENFORCE"),
            new Setting("alerts", "webhook_url", "SWITCHBOARD_ALERTS_WEBHOOK_URL"),
            new Setting("alerts", "secret", "SWITCHBOARD_ALERTS_SECRET"),
            new Setting("alerts", "retry_backoff", "SWITCHBOARD_ALERTS_RETRY_BACKOFF"),
            new Setting("io_logging", "retention", "SWITCHBOARD_IO_LOGGING_RETENTION"),
            new Setting("limits", "free_models", "SWITCHBOARD_LIMITS_FREE_MODELS"),
            new Setting("limits", "workspace_requests_per_minute", "SWITCHBOARD_LIMITS_WORKSPACE_REQUESTS_PER_MINUTE"),
            new Setting("limits", "workspace_tokens_per_minute", "SWITCHBOARD_LIMITS_WORKSPACE_TOKENS_PER_MINUTE"),
            new Setting("routing", "retry_backoff", "SWITCHBOARD_ROUTING_RETRY_BACKOFF"),
            new Setting("routing", "max_retry_wait", "SWITCHBOARD_ROUTING_MAX_RETRY_WAIT"),
            new Setting("routing", "default_provider", "SWITCHBOARD_ROUTING_DEFAULT_PROVIDER"),
            new Setting("routing", "force_model", "SWITCHBOARD_ROUTING_FORCE_MODEL"),
            new Setting("byok", "master_key", "SWITCHBOARD_BYOK_MASTER_KEY"),
            new Setting("byok", "master_key_file", "SWITCHBOARD_BYOK_MASTER_KEY_FILE"),
            new Setting("byok", "previous_master_keys", "SWITCHBOARD_BYOK_PREVIOUS_MASTER_KEYS"),
            new Setting("byok", "fee_percent", "SWITCHBOARD_BYOK_FEE_PERCENT"));
    /** Every scalar provider field but {@code slug}, which names the variables. */
    static final List<String> PROVIDER_FIELDS = List.of(
            "name",
            "kind",
            "base_url",
            "api_key",
            "enabled",
            "max_tokens_field",
            "http_version",
            "privacy_policy_url",
            "terms_of_service_url",
            "status_page_url",
            "headquarters");

    private record Setting(String section, String key, String variable) {}

    private final Map<String, String> env;
    private final Provenance provenance;

    OverrideWriter(Map<String, String> env, Provenance provenance) {
        this.env = env;
        this.provenance = provenance;
    }

    /** The settings' variables ({@code SWITCHBOARD_SERVER_PORT}, ...), into the file's tree. */
    void settings(ObjectNode root, String source) {
        for (Setting setting : SETTINGS) {
            value(setting.variable())
                    .ifPresent(value -> put(
                            root,
                            setting.section(),
                            setting.key(),
                            TextNode.valueOf(value),
                            source,
                            "environment variable " + setting.variable()));
        }
    }

    /** {@code SWITCHBOARD_PROVIDERS_<SLUG>_<FIELD>} into every provider entry of that slug but those in {@code except}. */
    void providers(ObjectNode root, String source, Set<String> except) {
        JsonNode providers = root.path("providers");
        for (int i = 0; providers.isArray() && i < providers.size(); i++) {
            if (providers.get(i) instanceof ObjectNode entry
                    && entry.path("slug").isTextual()
                    && !except.contains(entry.path("slug").asText())) {
                String prefix = providerPrefix(entry.path("slug").asText());
                for (String field : PROVIDER_FIELDS) {
                    String variable = prefix + field.toUpperCase(Locale.ROOT);
                    String path = "providers[" + i + "]." + field;
                    value(variable).ifPresent(value -> {
                        entry.put(field, value);
                        provenance.overridden(source, path, "environment variable " + variable);
                    });
                }
                identity(entry, prefix, source, "providers[" + i + "].identity.");
            }
        }
    }

    /** {@code SWITCHBOARD_PROVIDERS_<SLUG>_IDENTITY_<FIELD>} into the entry's {@code identity} mapping. */
    private void identity(ObjectNode entry, String prefix, String source, String path) {
        for (String field : IdentityReader.FIELDS) {
            String variable = prefix + "IDENTITY_" + field.toUpperCase(Locale.ROOT);
            value(variable).ifPresent(value -> {
                JsonNode existing = entry.get("identity");
                if (existing != null && !existing.isNull() && !existing.isObject()) {
                    return; // not a mapping: the reader reports it
                }
                ObjectNode identity = existing instanceof ObjectNode object ? object : entry.putObject("identity");
                identity.put(field, value);
                provenance.overridden(source, path + field, "environment variable " + variable);
            });
        }
    }

    /** {@code --host}, {@code --port}, {@code --default-provider} and {@code --force-model}, which win over the environment and the file. */
    void commandLine(ObjectNode root, String source, Overrides overrides) {
        overrides
                .defaultProvider()
                .ifPresent(slug -> put(
                        root,
                        "routing",
                        "default_provider",
                        TextNode.valueOf(slug),
                        source,
                        "command-line option --default-provider"));
        overrides
                .forceModel()
                .ifPresent(model -> put(
                        root,
                        "routing",
                        "force_model",
                        TextNode.valueOf(model),
                        source,
                        "command-line option --force-model"));
        overrides
                .host()
                .ifPresent(host ->
                        put(root, "server", "host", TextNode.valueOf(host), source, "command-line option --host"));
        overrides
                .port()
                .ifPresent(port ->
                        put(root, "server", "port", IntNode.valueOf(port), source, "command-line option --port"));
    }

    /** {@code SWITCHBOARD_PROVIDERS_} plus the slug in capitals, other characters as {@code _}, plus {@code _}. */
    static String providerPrefix(String slug) {
        return "SWITCHBOARD_PROVIDERS_" + slug.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
    }

    private void put(ObjectNode root, String section, String key, JsonNode value, String source, String origin) {
        JsonNode existing = root.get(section);
        if (existing != null && !existing.isNull() && !existing.isObject()) {
            return;
        }
        ObjectNode target = existing instanceof ObjectNode object ? object : root.putObject(section);
        target.set(key, value);
        provenance.overridden(source, section + "." + key, origin);
    }

    private Optional<String> value(String variable) {
        return Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank()).map(String::strip);
    }
}
