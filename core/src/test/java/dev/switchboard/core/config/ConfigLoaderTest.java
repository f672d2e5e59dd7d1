package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.HttpVersion;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.keys.RateLimit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loading a valid configuration: bundled catalog merge, {@code ${VAR}} references, environment and
 * command-line overrides, defaults and durations. (What is rejected is in {@link ConfigValidationTest}.)
 */
class ConfigLoaderTest {
    static final Set<String> KINDS = Set.of("openai");
    static final Set<String> SCHEMES = Set.of("sqlite");

    /** A provider and a model under names the bundled catalog does not use. */
    static final String TESTCLOUD = """
            providers:
              - slug: testcloud
                name: Test Cloud
                kind: openai
                base_url: https://api.testcloud.example/v1/
                api_key: ${TESTCLOUD_API_KEY}
              - slug: localbox
                kind: openai
                base_url: http://127.0.0.1:11434/v1
            models:
              - id: testco/alpha
                name: "TestCo: Alpha"
                context_length: 32000
                supported_parameters: [temperature, max_tokens]
                endpoints:
                  - provider: testcloud
                    upstream_model: alpha-1
                    pricing: { prompt: "0.0000025", completion: "0.00001", input_cache_read: "0.00000125", request: "0.001" }
                  - provider: localbox
                    upstream_model: alpha:latest
                    context_length: 8000
                    max_completion_tokens: 2048
                    quantization: q4
                    supported_parameters: [max_tokens]
                    pricing: { prompt: 0, completion: 0 }
            """;

    @TempDir
    Path dir;

    @Test
    void loadsBundledCatalogAndDefaultsWithoutAFile() {
        GatewayConfig config = new ConfigLoader(Map.of(), KINDS, SCHEMES).load(Optional.empty(), Overrides.NONE);

        assertThat(config.models()).isNotEmpty();
        assertThat(config.providers()).isNotEmpty();
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.storage().url()).isEqualTo("sqlite:" + Path.of("data").resolve("switchboard.db"));
        assertThat(config.storage().maxPendingRecords()).isEqualTo(10_000);
        assertThat(config.storage().allowNewDatabase()).isFalse();
        assertThat(config.timeouts()).isEqualTo(dev.switchboard.core.upstream.Timeouts.defaults());
        assertThat(config.streaming().keepAliveInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.source()).isEmpty();
    }

    @Test
    void readsProvidersAndModelsOfTheFileOnTopOfTheBundledCatalog() {
        GatewayConfig bundled = new ConfigLoader(Map.of(), KINDS, SCHEMES).load(Optional.empty(), Overrides.NONE);

        GatewayConfig config = load(TESTCLOUD, Map.of("TESTCLOUD_API_KEY", "sk-test"));

        assertThat(config.models()).hasSize(bundled.models().size() + 1);
        assertThat(config.providers()).hasSize(bundled.providers().size() + 2);
        Model alpha = model(config, "testco/alpha");
        assertThat(alpha.name()).isEqualTo("TestCo: Alpha");
        assertThat(alpha.contextLength()).isEqualTo(32000);
        assertThat(alpha.inputModalities()).containsExactly("text");
        assertThat(alpha.outputModalities()).containsExactly("text");
        assertThat(alpha.tokenizer()).isEqualTo("Other");

        Endpoint cloud = alpha.endpoints().get(0);
        assertThat(cloud.providerSlug()).isEqualTo("testcloud");
        assertThat(cloud.upstreamModel()).isEqualTo("alpha-1");
        assertThat(cloud.contextLength()).as("inherited from the model").isEqualTo(32000);
        assertThat(cloud.maxCompletion()).isEmpty();
        assertThat(cloud.quantization()).isEqualTo("unknown");
        assertThat(cloud.supportedParameters())
                .as("inherited from the model")
                .containsExactly("temperature", "max_tokens");
        assertThat(cloud.pricing().prompt()).isEqualTo(new BigDecimal("0.0000025"));
        assertThat(cloud.pricing().completion()).isEqualTo(new BigDecimal("0.00001"));
        assertThat(cloud.pricing().inputCacheRead()).isEqualTo(new BigDecimal("0.00000125"));
        assertThat(cloud.pricing().request()).isEqualTo(new BigDecimal("0.001"));
        assertThat(cloud.pricing().inputCacheWrite()).isEqualByComparingTo("0");

        Endpoint local = alpha.endpoints().get(1);
        assertThat(local.contextLength()).isEqualTo(8000);
        assertThat(local.maxCompletion()).contains(2048L);
        assertThat(local.quantization()).isEqualTo("q4");
        assertThat(local.supportedParameters()).containsExactly("max_tokens");
        assertThat(local.pricing().blended()).isEqualByComparingTo("0");

        Provider testcloud = provider(config, "testcloud");
        assertThat(testcloud.name()).isEqualTo("Test Cloud");
        assertThat(ConfigLoaderTest.openAi(testcloud).baseUrl())
                .as("trailing slash removed")
                .isEqualTo(URI.create("https://api.testcloud.example/v1"));
        assertThat(provider(config, "localbox").name())
                .as("name defaults to the slug")
                .isEqualTo("localbox");
    }

    @Test
    void fileModelReplacesBundledModelWithTheSameId() {
        GatewayConfig bundled = new ConfigLoader(Map.of(), KINDS, SCHEMES).load(Optional.empty(), Overrides.NONE);
        Model original = bundled.models().getFirst();

        GatewayConfig config = load("""
                providers:
                  - slug: localbox
                    kind: openai
                    base_url: http://127.0.0.1:11434/v1
                models:
                  - id: %s
                    name: Overridden
                    context_length: 1234
                    endpoints:
                      - provider: localbox
                        upstream_model: local-copy
                        pricing: { prompt: "0", completion: "0" }
                """.formatted(original.id()), Map.of());

        assertThat(config.models()).hasSize(bundled.models().size());
        Model replaced = model(config, original.id());
        assertThat(replaced.name()).isEqualTo("Overridden");
        assertThat(replaced.contextLength()).isEqualTo(1234);
        assertThat(replaced.endpoints())
                .singleElement()
                .satisfies(e -> assertThat(e.providerSlug()).isEqualTo("localbox"));
    }

    @Test
    void fileProviderIsMergedFieldByFieldOverTheBundledProviderWithTheSameSlug() {
        GatewayConfig bundled = new ConfigLoader(Map.of(), KINDS, SCHEMES).load(Optional.empty(), Overrides.NONE);
        Provider original = provider(bundled, "openai");
        String proxy = """
                providers:
                  - slug: openai
                    base_url: https://proxy.internal/v1
                """;

        GatewayConfig config = load(proxy, Map.of());

        assertThat(config.providers())
                .as("the merged provider keeps its place in the catalog")
                .extracting(Provider::slug)
                .containsExactlyElementsOf(
                        bundled.providers().stream().map(Provider::slug).toList());
        Provider merged = provider(config, "openai");
        assertThat(ConfigLoaderTest.openAi(merged).baseUrl()).isEqualTo(URI.create("https://proxy.internal/v1"));
        assertThat(merged.name()).isEqualTo(original.name());
        assertThat(merged.kind()).isEqualTo(original.kind());
        assertThat(merged.links()).isEqualTo(original.links());
        assertThat(ConfigLoaderTest.openAi(merged).maxTokensField()).isEqualTo(MaxTokensField.MAX_COMPLETION_TOKENS);
        assertThat(merged.available())
                .as("the bundled api_key: ${OPENAI_API_KEY} is inherited")
                .isFalse();
        assertThat(merged.unavailableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("OPENAI_API_KEY"));
        assertThat(config.models())
                .as("bundled models keep routing to the merged provider")
                .hasSize(bundled.models().size());

        Provider keyed = provider(load(proxy, Map.of("OPENAI_API_KEY", "sk-proxy")), "openai");
        assertThat(keyed.available()).isTrue();
        assertThat(ConfigLoaderTest.openAi(keyed).apiKey()).isEqualTo("sk-proxy");
    }

    @Test
    void fileProviderFieldsWinOverTheBundledOnes() {
        GatewayConfig config = load("""
                providers:
                  - slug: openai
                    name: Through my proxy
                    base_url: http://proxy.internal:8000/v1
                    api_key: ${PROXY_KEY}
                    max_tokens_field: as_sent
                    datacenters: [DE]
                """, Map.of("PROXY_KEY", "sk-proxy", "OPENAI_API_KEY", "sk-openai"));

        Provider merged = provider(config, "openai");
        assertThat(merged.name()).isEqualTo("Through my proxy");
        assertThat(ConfigLoaderTest.openAi(merged).baseUrl()).isEqualTo(URI.create("http://proxy.internal:8000/v1"));
        assertThat(ConfigLoaderTest.openAi(merged).apiKey()).isEqualTo("sk-proxy");
        assertThat(ConfigLoaderTest.openAi(merged).maxTokensField()).isEqualTo(MaxTokensField.AS_SENT);
        assertThat(merged.links().datacenters()).as("a list is replaced whole").containsExactly("DE");
    }

    @Test
    void fileProviderRemovesAnInheritedFieldBySettingItToNull() {
        GatewayConfig config = load("""
                providers:
                  - slug: openai
                    base_url: http://127.0.0.1:4000/v1
                    api_key: null
                """, Map.of());

        Provider local = provider(config, "openai");
        assertThat(local.available()).as("no api_key: a local proxy needs none").isTrue();
        assertThat(ConfigLoaderTest.openAi(local).apiKey()).isEmpty();
    }

    @Test
    void providerWhoseKeyVariableIsUnsetIsUnavailableNamingTheVariable() {
        GatewayConfig config = load(TESTCLOUD, Map.of());

        Provider testcloud = provider(config, "testcloud");
        assertThat(testcloud.available()).isFalse();
        assertThat(testcloud.unavailableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("TESTCLOUD_API_KEY"));
        assertThat(ConfigLoaderTest.openAi(testcloud).apiKey()).isEmpty();
        assertThat(model(config, "testco/alpha").endpoints())
                .as("the model stays listed")
                .hasSize(2);
    }

    @Test
    void providerWhoseKeyVariableIsSetIsAvailableWithThatKey() {
        GatewayConfig config = load(TESTCLOUD, Map.of("TESTCLOUD_API_KEY", "sk-from-env"));

        Provider testcloud = provider(config, "testcloud");
        assertThat(testcloud.available()).isTrue();
        assertThat(ConfigLoaderTest.openAi(testcloud).apiKey()).isEqualTo("sk-from-env");
        assertThat(testcloud.toString()).doesNotContain("sk-from-env");
    }

    @Test
    void providerWithoutApiKeyIsAvailable() {
        GatewayConfig config = load(TESTCLOUD, Map.of());

        Provider local = provider(config, "localbox");
        assertThat(local.available()).isTrue();
        assertThat(ConfigLoaderTest.openAi(local).apiKey()).isEmpty();
    }

    @Test
    void providerWithALiteralEmptyKeyIsUnavailable() {
        GatewayConfig config = load("""
                providers:
                  - slug: testcloud
                    kind: openai
                    base_url: https://api.testcloud.example/v1
                    api_key: ""
                """, Map.of());

        assertThat(provider(config, "testcloud").unavailableReason()).contains("api_key is empty");
    }

    @Test
    void disabledProviderIsUnavailable() {
        GatewayConfig config = load("""
                providers:
                  - slug: testcloud
                    kind: openai
                    base_url: https://api.testcloud.example/v1
                    api_key: sk-literal
                    enabled: false
                """, Map.of());

        assertThat(provider(config, "testcloud").unavailableReason()).contains("disabled in the configuration");
    }

    @Test
    void referenceWithDefaultUsesTheDefaultWhenUnsetAndTheVariableWhenSet() {
        String yaml = """
                server:
                  host: ${BIND_HOST:-0.0.0.0}
                  port: ${BIND_PORT:-9090}
                providers:
                  - slug: testcloud
                    kind: openai
                    base_url: ${TESTCLOUD_URL:-https://default.testcloud.example}/v1
                    api_key: ${TESTCLOUD_API_KEY:-sk-default}
                """;

        GatewayConfig defaults = load(yaml, Map.of());
        assertThat(defaults.server().host()).isEqualTo("0.0.0.0");
        assertThat(defaults.server().port()).isEqualTo(9090);
        assertThat(ConfigLoaderTest.openAi(provider(defaults, "testcloud")).baseUrl())
                .isEqualTo(URI.create("https://default.testcloud.example/v1"));
        assertThat(ConfigLoaderTest.openAi(provider(defaults, "testcloud")).apiKey())
                .isEqualTo("sk-default");
        assertThat(provider(defaults, "testcloud").available()).isTrue();

        GatewayConfig set = load(
                yaml,
                Map.of(
                        "BIND_HOST",
                        "::1",
                        "BIND_PORT",
                        "7000",
                        "TESTCLOUD_URL",
                        "https://eu.testcloud.example",
                        "TESTCLOUD_API_KEY",
                        "sk-set"));
        assertThat(set.server().host()).isEqualTo("::1");
        assertThat(set.server().port()).isEqualTo(7000);
        assertThat(ConfigLoaderTest.openAi(provider(set, "testcloud")).baseUrl())
                .isEqualTo(URI.create("https://eu.testcloud.example/v1"));
        assertThat(ConfigLoaderTest.openAi(provider(set, "testcloud")).apiKey()).isEqualTo("sk-set");
    }

    @Test
    void emptyVariableCountsAsUnset() {
        GatewayConfig config = load(TESTCLOUD, Map.of("TESTCLOUD_API_KEY", ""));

        assertThat(provider(config, "testcloud").unavailableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("TESTCLOUD_API_KEY"));
    }

    @Test
    void environmentOverridesScalarSettingsOfTheFile() {
        GatewayConfig config = load(
                """
                server: { host: 127.0.0.1, port: 8080, max_body_bytes: 4096 }
                storage: { url: "sqlite:file.db" }
                timeouts: { first_byte: 30s, idle: 10s }
                streaming: { keepalive_interval: 2s }
                """,
                Map.of(
                        "SWITCHBOARD_SERVER_HOST", "0.0.0.0",
                        "SWITCHBOARD_SERVER_PORT", "9000",
                        "SWITCHBOARD_SERVER_MAX_BODY_BYTES", "2048",
                        "SWITCHBOARD_STORAGE_URL", "sqlite:/var/lib/switchboard/env.db",
                        "SWITCHBOARD_TIMEOUTS_CONNECT", "2s",
                        "SWITCHBOARD_TIMEOUTS_FIRST_BYTE", "250ms",
                        "SWITCHBOARD_TIMEOUTS_IDLE", "3s",
                        "SWITCHBOARD_TIMEOUTS_TOTAL", "PT2M",
                        "SWITCHBOARD_STREAMING_KEEPALIVE_INTERVAL", "500ms"));

        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.server().maxBodyBytes()).isEqualTo(2048);
        assertThat(config.storage().url()).isEqualTo("sqlite:/var/lib/switchboard/env.db");
        assertThat(config.timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.timeouts().firstByte()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.timeouts().idle()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.timeouts().total()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.streaming().keepAliveInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void readsTheRoutingSectionAndItsEnvironmentOverrides() {
        assertThat(load("routing: { retries: 2, retry_backoff: 100ms }\n", Map.of())
                        .routing())
                .isEqualTo(new GatewayConfig.Routing(2, Duration.ofMillis(100), Duration.ofSeconds(5)));
        assertThat(load("", Map.of("SWITCHBOARD_ROUTING_RETRIES", "1", "SWITCHBOARD_ROUTING_MAX_RETRY_WAIT", "2s"))
                        .routing())
                .isEqualTo(new GatewayConfig.Routing(1, Duration.ofMillis(250), Duration.ofSeconds(2)));
        assertThat(load("", Map.of()).routing()).isEqualTo(GatewayConfig.Routing.DEFAULTS);
        assertThatThrownBy(() -> load("routing: { retries: 9 }\n", Map.of())).hasMessageContaining("routing.retries");
    }

    @Test
    void readsSpendAlertsAndRefusesAWebhookWithoutAGoodSecret() {
        GatewayConfig.Alerts alerts = load(
                        "alerts: { webhook_url: \"https://hooks.example/x\", secret: \"0123456789abcdef\" }\n",
                        Map.of())
                .alerts();
        assertThat(alerts.webhookUrl()).hasValue(java.net.URI.create("https://hooks.example/x"));
        assertThat(alerts.toString()).doesNotContain("0123456789abcdef");
        assertThatThrownBy(
                        () -> load("alerts: { webhook_url: \"https://hooks.example/x\", secret: short }\n", Map.of()))
                .hasMessageContaining("alerts.secret")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> load("alerts: { webhook_url: \"ftp://x\", secret: \"0123456789abcdef\" }\n", Map.of()))
                .hasMessageContaining("alerts.webhook_url");
        assertThat(load("", Map.of("SWITCHBOARD_CREDITS_ENFORCE", "true"))
                        .credits()
                        .enforce())
                .isTrue();
    }

    @Test
    void readsTheLimitsSectionAndItsEnvironmentOverrides() {
        assertThat(load("", Map.of()).limits()).isEqualTo(GatewayConfig.Limits.DEFAULTS);
        assertThat(load(
                                "limits: { free_models: false, workspace_requests_per_minute: 600,"
                                        + " workspace_tokens_per_minute: null }\n",
                                Map.of())
                        .limits())
                .isEqualTo(new GatewayConfig.Limits(false, new RateLimit(OptionalLong.of(600), OptionalLong.empty())));
        assertThat(load(
                                "limits: { workspace_requests_per_minute: 600 }\n",
                                Map.of(
                                        "SWITCHBOARD_LIMITS_FREE_MODELS", "false",
                                        "SWITCHBOARD_LIMITS_WORKSPACE_REQUESTS_PER_MINUTE", "60",
                                        "SWITCHBOARD_LIMITS_WORKSPACE_TOKENS_PER_MINUTE", "100000"))
                        .limits())
                .isEqualTo(
                        new GatewayConfig.Limits(false, new RateLimit(OptionalLong.of(60), OptionalLong.of(100_000))));
        assertThatThrownBy(() -> load("limits: { workspace_requests_per_minute: 0 }\n", Map.of()))
                .hasMessageContaining("limits.workspace_requests_per_minute")
                .hasMessageContaining("between 1 and 10000000");
        assertThatThrownBy(() -> load("", Map.of("SWITCHBOARD_LIMITS_WORKSPACE_TOKENS_PER_MINUTE", "lots")))
                .hasMessageContaining("SWITCHBOARD_LIMITS_WORKSPACE_TOKENS_PER_MINUTE");
        assertThatThrownBy(() -> load("limits: { requests_per_minute: 5 }\n", Map.of()))
                .hasMessageContaining("limits.requests_per_minute");
    }

    @Test
    void readsTheByokSectionAndNeverQuotesAMasterKeyItRefuses() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String other = java.util.Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32
        });
        assertThat(load("", Map.of()).byok()).isEqualTo(GatewayConfig.Byok.DEFAULTS);
        GatewayConfig.Byok byok = load(
                        "byok: { fee_percent: 2.5, previous_master_keys: [\"" + other + "\"] }\n",
                        Map.of("SWITCHBOARD_BYOK_MASTER_KEY", key))
                .byok();
        assertThat(byok.masterKey()).hasValue(key);
        assertThat(byok.previousMasterKeys()).containsExactly(other);
        assertThat(byok.fee().percent()).isEqualByComparingTo("2.5");
        assertThat(byok.toString()).doesNotContain(key);
        assertThat(load("", Map.of("SWITCHBOARD_BYOK_PREVIOUS_MASTER_KEYS", key + ", " + other))
                        .byok()
                        .previousMasterKeys())
                .containsExactly(key, other);
        assertThatThrownBy(() -> load("", Map.of("SWITCHBOARD_BYOK_MASTER_KEY", "sk-too-short-to-be-a-key")))
                .hasMessageContaining("SWITCHBOARD_BYOK_MASTER_KEY")
                .hasMessageContaining("base64 of 32 random bytes")
                .hasMessageNotContaining("sk-too-short-to-be-a-key");
        assertThatThrownBy(() -> load("byok: { fee_percent: 101 }\n", Map.of()))
                .hasMessageContaining("byok.fee_percent");
        assertThatThrownBy(() -> load("byok: { master_key_file: /k }\n", Map.of("SWITCHBOARD_BYOK_MASTER_KEY", key)))
                .hasMessageContaining("byok.master_key_file");
    }

    @Test
    void readsHedgingPerModelAndRefusesAModelTheCatalogLacks() {
        assertThat(load("routing: { hedge: { openai/gpt-6.2-astra: 400ms } }\n", Map.of())
                        .routing()
                        .hedge())
                .isEqualTo(Map.of("openai/gpt-6.2-astra", Duration.ofMillis(400)));
        assertThatThrownBy(() -> load("routing: { hedge: { nobody/nothing: 400ms } }\n", Map.of()))
                .hasMessageContaining("routing.hedge.nobody/nothing")
                .hasMessageContaining("not a model of the catalog");
        assertThatThrownBy(() -> load("routing: { hedge: { openai/gpt-6.2-astra: soon } }\n", Map.of()))
                .hasMessageContaining("routing.hedge.openai/gpt-6.2-astra");
    }

    @Test
    void environmentOverridesApplyWithoutAFile() {
        GatewayConfig config = new ConfigLoader(
                        Map.of("SWITCHBOARD_PORT", "7070", "SWITCHBOARD_TIMEOUTS_FIRST_BYTE", "45s"), KINDS, SCHEMES)
                .load(Optional.empty(), Overrides.NONE);

        assertThat(config.server().port()).isEqualTo(7070);
        assertThat(config.timeouts().firstByte()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void portShorthandWorksAndTheFullNameWinsOverIt() {
        assertThat(load("server: { port: 8080 }", Map.of("SWITCHBOARD_PORT", "7001"))
                        .server()
                        .port())
                .isEqualTo(7001);
        assertThat(load("server: { port: 8080 }", Map.of("SWITCHBOARD_PORT", "7001", "SWITCHBOARD_SERVER_PORT", "7002"))
                        .server()
                        .port())
                .isEqualTo(7002);
    }

    @Test
    void blankEnvironmentValueDoesNotOverride() {
        assertThat(load("server: { port: 8081 }", Map.of("SWITCHBOARD_SERVER_PORT", "  "))
                        .server()
                        .port())
                .isEqualTo(8081);
    }

    @Test
    void boundOfTheGenerationBacklogComesFromTheFileOrTheEnvironment() {
        assertThat(load("storage: { max_pending_records: 250 }", Map.of())
                        .storage()
                        .maxPendingRecords())
                .isEqualTo(250);
        assertThat(load(
                                "storage: { max_pending_records: 250 }",
                                Map.of("SWITCHBOARD_STORAGE_MAX_PENDING_RECORDS", "40"))
                        .storage()
                        .maxPendingRecords())
                .isEqualTo(40);
    }

    @Test
    void newDatabaseIsAllowedByTheOptionOrTheEnvironmentOnly() {
        Overrides option = new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), true);

        assertThat(new ConfigLoader(Map.of(), KINDS, SCHEMES)
                        .load(Optional.empty(), option)
                        .storage()
                        .allowNewDatabase())
                .isTrue();
        assertThat(load("", Map.of("SWITCHBOARD_ALLOW_NEW_DATABASE", "TRUE"))
                        .storage()
                        .allowNewDatabase())
                .isTrue();
        assertThat(load("", Map.of("SWITCHBOARD_ALLOW_NEW_DATABASE", "false"))
                        .storage()
                        .allowNewDatabase())
                .isFalse();
        assertThat(new ConfigLoader(Map.of("SWITCHBOARD_ALLOW_NEW_DATABASE", "false"), KINDS, SCHEMES)
                        .load(Optional.empty(), option)
                        .storage()
                        .allowNewDatabase())
                .as("the option wins")
                .isTrue();
    }

    @Test
    void dataDirectoryFromTheEnvironmentPlacesTheDefaultDatabase() {
        GatewayConfig config = load("", Map.of("SWITCHBOARD_DATA_DIR", "/srv/sb"));

        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/sb"));
        assertThat(config.storage().url())
                .isEqualTo("sqlite:" + Path.of("/srv/sb").resolve("switchboard.db"));
    }

    @Test
    void providerKeyFromTheEnvironmentMakesAProviderAvailable() {
        GatewayConfig config = load(TESTCLOUD, Map.of("SWITCHBOARD_PROVIDERS_TESTCLOUD_API_KEY", "sk-override"));

        Provider testcloud = provider(config, "testcloud");
        assertThat(testcloud.available()).isTrue();
        assertThat(ConfigLoaderTest.openAi(testcloud).apiKey()).isEqualTo("sk-override");
    }

    @Test
    void providerKeyFromTheEnvironmentWinsOverTheFileReference() {
        GatewayConfig config = load(
                TESTCLOUD,
                Map.of("TESTCLOUD_API_KEY", "sk-file", "SWITCHBOARD_PROVIDERS_TESTCLOUD_API_KEY", "sk-override"));

        assertThat(ConfigLoaderTest.openAi(provider(config, "testcloud")).apiKey())
                .isEqualTo("sk-override");
    }

    @Test
    void providerBaseUrlFromTheEnvironmentReplacesTheConfiguredOne() {
        GatewayConfig config =
                load(TESTCLOUD, Map.of("SWITCHBOARD_PROVIDERS_LOCALBOX_BASE_URL", "http://gpu-box:8000/v1"));

        Provider local = provider(config, "localbox");
        assertThat(ConfigLoaderTest.openAi(local).baseUrl()).isEqualTo(URI.create("http://gpu-box:8000/v1"));
        assertThat(local.available()).isTrue();
        assertThat(ConfigLoaderTest.openAi(provider(config, "testcloud")).baseUrl())
                .isEqualTo(URI.create("https://api.testcloud.example/v1"));
    }

    @Test
    void providerVariablesSpellTheSlugInCapitalsWithUnderscores() {
        GatewayConfig config = load("""
                providers:
                  - slug: my-cloud.eu
                    kind: openai
                    base_url: https://my-cloud.example/v1
                    api_key: ${MY_CLOUD_KEY}
                """, Map.of("SWITCHBOARD_PROVIDERS_MY_CLOUD_EU_API_KEY", "sk-eu"));

        assertThat(ConfigLoaderTest.openAi(provider(config, "my-cloud.eu")).apiKey())
                .isEqualTo("sk-eu");
        assertThat(provider(config, "my-cloud.eu").available()).isTrue();
    }

    @Test
    void providerKeyFromTheEnvironmentReachesBundledProviders() {
        GatewayConfig bundled = new ConfigLoader(Map.of(), KINDS, SCHEMES).load(Optional.empty(), Overrides.NONE);
        Provider original = bundled.providers().getFirst();
        String variable = "SWITCHBOARD_PROVIDERS_"
                + original.slug().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_API_KEY";

        GatewayConfig config =
                new ConfigLoader(Map.of(variable, "sk-bundled"), KINDS, SCHEMES).load(Optional.empty(), Overrides.NONE);

        assertThat(openAi(provider(config, original.slug())).apiKey()).isEqualTo("sk-bundled");
        assertThat(provider(config, original.slug()).available()).isTrue();
    }

    @Test
    void disabledProviderStaysDisabledWhenItsKeyComesFromTheEnvironment() {
        GatewayConfig config = load("""
                providers:
                  - slug: testcloud
                    kind: openai
                    base_url: https://api.testcloud.example/v1
                    api_key: ${TESTCLOUD_API_KEY}
                    enabled: false
                """, Map.of("SWITCHBOARD_PROVIDERS_TESTCLOUD_API_KEY", "sk-override"));

        assertThat(provider(config, "testcloud").available()).isFalse();
        assertThat(provider(config, "testcloud").unavailableReason()).contains("disabled in the configuration");
    }

    @Test
    void environmentOverridesEveryScalarProviderField() {
        GatewayConfig config = new ConfigLoader(
                        Map.of(
                                "SWITCHBOARD_PROVIDERS_TESTCLOUD_NAME", "Test Cloud EU",
                                "SWITCHBOARD_PROVIDERS_TESTCLOUD_KIND", "other",
                                "SWITCHBOARD_PROVIDERS_TESTCLOUD_ENABLED", "false",
                                "SWITCHBOARD_PROVIDERS_TESTCLOUD_MAX_TOKENS_FIELD", "max_tokens",
                                "SWITCHBOARD_PROVIDERS_TESTCLOUD_PRIVACY_POLICY_URL",
                                        "https://eu.testcloud.example/privacy",
                                "SWITCHBOARD_PROVIDERS_TESTCLOUD_TERMS_OF_SERVICE_URL",
                                        "https://eu.testcloud.example/terms",
                                "SWITCHBOARD_PROVIDERS_TESTCLOUD_STATUS_PAGE_URL", "https://status.testcloud.example",
                                "SWITCHBOARD_PROVIDERS_TESTCLOUD_HEADQUARTERS", "DE"),
                        Set.of("openai", "other"),
                        SCHEMES)
                .load(Optional.of(write(TESTCLOUD)), Overrides.NONE);

        Provider testcloud = provider(config, "testcloud");
        assertThat(testcloud.name()).isEqualTo("Test Cloud EU");
        assertThat(testcloud.kind()).isEqualTo("other");
        assertThat(testcloud.unavailableReason()).contains("disabled in the configuration");
        assertThat(ConfigLoaderTest.openAi(testcloud).maxTokensField()).isEqualTo(MaxTokensField.MAX_TOKENS);
        assertThat(testcloud.links())
                .isEqualTo(new Provider.Links(
                        "https://eu.testcloud.example/privacy",
                        "https://eu.testcloud.example/terms",
                        "https://status.testcloud.example",
                        "DE",
                        List.of()));
        assertThat(provider(config, "localbox").name())
                .as("other providers are untouched")
                .isEqualTo("localbox");
    }

    @Test
    void providerVariablesNeverCreateAProvider() {
        GatewayConfig bundled = new ConfigLoader(Map.of(), KINDS, SCHEMES).load(Optional.empty(), Overrides.NONE);

        GatewayConfig config = new ConfigLoader(
                        Map.of(
                                "SWITCHBOARD_PROVIDERS_GHOST_BASE_URL",
                                "https://ghost.example/v1",
                                "SWITCHBOARD_PROVIDERS_GHOST_KIND",
                                "openai"),
                        KINDS,
                        SCHEMES)
                .load(Optional.empty(), Overrides.NONE);

        assertThat(config.providers())
                .extracting(Provider::slug)
                .containsExactlyElementsOf(
                        bundled.providers().stream().map(Provider::slug).toList());
    }

    @Test
    void enabledFromTheEnvironmentReEnablesAProviderTheFileDisables() {
        GatewayConfig config = load("""
                providers:
                  - slug: testcloud
                    kind: openai
                    base_url: https://api.testcloud.example/v1
                    enabled: false
                """, Map.of("SWITCHBOARD_PROVIDERS_TESTCLOUD_ENABLED", "TRUE"));

        assertThat(provider(config, "testcloud").available()).isTrue();
    }

    @Test
    void providerVariablesReachFileEntriesMergedOverBundledOnes() {
        GatewayConfig config = load(
                """
                providers:
                  - slug: openai
                    base_url: https://proxy.internal/v1
                """,
                Map.of(
                        "SWITCHBOARD_PROVIDERS_OPENAI_BASE_URL",
                        "https://other-proxy.internal/v1",
                        "SWITCHBOARD_PROVIDERS_OPENAI_API_KEY",
                        "sk-env"));

        Provider openai = provider(config, "openai");
        assertThat(ConfigLoaderTest.openAi(openai).baseUrl()).isEqualTo(URI.create("https://other-proxy.internal/v1"));
        assertThat(ConfigLoaderTest.openAi(openai).apiKey()).isEqualTo("sk-env");
        assertThat(openai.available()).isTrue();
    }

    @ParameterizedTest(name = "enabled: {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "false       | false",
                "FALSE       | false",
                "no          | false",
                "\"False\"   | false",
                "\" false \" | false",
                "true        | true",
                "\"TRUE\"    | true",
                "${FLAG}     | false",
            })
    void enabledTakesYamlBooleansAndTrueOrFalseTextInAnyCase(String written, boolean enabled) {
        GatewayConfig config = load("""
                providers:
                  - slug: testcloud
                    kind: openai
                    base_url: https://api.testcloud.example/v1
                    enabled: %s
                """.formatted(written), Map.of("FLAG", "false"));

        assertThat(provider(config, "testcloud").available()).isEqualTo(enabled);
    }

    @Test
    void maxTokensFieldIsReadAndDefaultsToForwardingAsSent() {
        GatewayConfig config = load("""
                providers:
                  - slug: reasoner
                    kind: openai
                    base_url: https://reasoner.example/v1
                    max_tokens_field: max_completion_tokens
                  - slug: legacy
                    kind: openai
                    base_url: https://legacy.example/v1
                    max_tokens_field: max_tokens
                  - slug: plain
                    kind: openai
                    base_url: https://plain.example/v1
                """, Map.of());

        assertThat(ConfigLoaderTest.openAi(provider(config, "reasoner")).maxTokensField())
                .isEqualTo(MaxTokensField.MAX_COMPLETION_TOKENS);
        assertThat(ConfigLoaderTest.openAi(provider(config, "legacy")).maxTokensField())
                .isEqualTo(MaxTokensField.MAX_TOKENS);
        assertThat(ConfigLoaderTest.openAi(provider(config, "plain")).maxTokensField())
                .isEqualTo(MaxTokensField.AS_SENT);
    }

    @Test
    void httpVersionIsReadQuotedOrNotAndDefaultsTo1_1() {
        GatewayConfig config = load("""
                providers:
                  - slug: multiplexed
                    kind: openai
                    base_url: http://127.0.0.1:9000/v1
                    http_version: "2"
                  - slug: unquoted
                    kind: openai
                    base_url: https://unquoted.example/v1
                    http_version: 2
                  - slug: explicit
                    kind: openai
                    base_url: https://explicit.example/v1
                    http_version: 1.1
                  - slug: plain
                    kind: openai
                    base_url: https://plain.example/v1
                """, Map.of());

        assertThat(openAi(provider(config, "multiplexed")).httpVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(openAi(provider(config, "unquoted")).httpVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(openAi(provider(config, "explicit")).httpVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(openAi(provider(config, "plain")).httpVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    }

    @Test
    void httpVersionComesFromTheEnvironmentOverTheFile() {
        GatewayConfig config = load("""
                providers:
                  - slug: my-cloud.eu
                    kind: openai
                    base_url: https://eu.example/v1
                    http_version: "1.1"
                """, Map.of("SWITCHBOARD_PROVIDERS_MY_CLOUD_EU_HTTP_VERSION", "2"));

        assertThat(openAi(provider(config, "my-cloud.eu")).httpVersion()).isEqualTo(HttpVersion.HTTP_2);
    }

    @Test
    void imageAndWebSearchPricesAreReadAndPublished() {
        GatewayConfig config = load("""
                providers:
                  - slug: localbox
                    kind: openai
                    base_url: http://127.0.0.1:11434/v1
                models:
                  - id: testco/vision
                    context_length: 4096
                    endpoints:
                      - provider: localbox
                        upstream_model: vision
                        pricing: { prompt: "0.000001", completion: "0.000002", image: "0.0012", web_search: "0.004" }
                """, Map.of());

        Pricing pricing = model(config, "testco/vision").endpoints().getFirst().pricing();
        assertThat(pricing.image()).isEqualTo(new BigDecimal("0.0012"));
        assertThat(pricing.webSearch()).isEqualTo(new BigDecimal("0.004"));
        assertThat(pricing.asStrings()).containsEntry("image", "0.0012").containsEntry("web_search", "0.004");
    }

    @Test
    void endpointMayHaveLessContextThanItsModel() {
        GatewayConfig config = load(TESTCLOUD, Map.of());

        assertThat(model(config, "testco/alpha").endpoints())
                .extracting(Endpoint::contextLength)
                .containsExactly(32000L, 8000L);
    }

    @Test
    void commandLineOptionsWinOverEnvironmentAndFile() {
        Path file = write("server: { host: 10.0.0.1, port: 8080 }");
        Overrides cli = new Overrides(Optional.of("192.168.1.5"), Optional.of(0), Optional.of(Path.of("/cli/data")));

        GatewayConfig config = new ConfigLoader(
                        Map.of(
                                "SWITCHBOARD_SERVER_HOST",
                                "10.0.0.2",
                                "SWITCHBOARD_PORT",
                                "9000",
                                "SWITCHBOARD_DATA_DIR",
                                "/env/data"),
                        KINDS,
                        SCHEMES)
                .load(Optional.of(file), cli);

        assertThat(config.server().host()).isEqualTo("192.168.1.5");
        assertThat(config.server().port()).as("0 asks for an ephemeral port").isZero();
        assertThat(config.dataDir()).isEqualTo(Path.of("/cli/data"));
        assertThat(config.storage().url())
                .isEqualTo("sqlite:" + Path.of("/cli/data").resolve("switchboard.db"));
        assertThat(config.source()).contains(file);
    }

    @Test
    void explicitStorageUrlIsKeptWhateverTheDataDirectory() {
        GatewayConfig config = new ConfigLoader(Map.of(), KINDS, SCHEMES)
                .load(
                        Optional.of(write("storage: { url: \"sqlite:/x/y.db\" }")),
                        new Overrides(Optional.empty(), Optional.empty(), Optional.of(Path.of("/cli"))));

        assertThat(config.storage().url()).isEqualTo("sqlite:/x/y.db");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "5m, PT5M",
        "2h, PT2H",
        "PT30S, PT30S",
        "PT1M30S, PT1M30S",
        "'  45s ', PT45S",
    })
    void readsDurationsInShortAndIsoForm(String text, String expected) {
        GatewayConfig config = load("timeouts: { idle: \"" + text + "\" }", Map.of());

        assertThat(config.timeouts().idle()).isEqualTo(Duration.parse(expected));
    }

    @Test
    void emptyFileIsTheDefaults() {
        GatewayConfig config = load("", Map.of());

        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.source()).isPresent();
    }

    @Test
    void optionalModelFieldsAreRead() {
        GatewayConfig config = load("""
                providers:
                  - slug: localbox
                    kind: openai
                    base_url: http://127.0.0.1:11434/v1
                    privacy_policy_url: https://localbox.example/privacy
                    headquarters: DE
                    datacenters: [DE, FR]
                models:
                  - id: testco/vision
                    name: Vision
                    created: 1700000000
                    description: Sees things
                    context_length: 4096
                    input_modalities: [text, image]
                    output_modalities: [text]
                    tokenizer: Llama3
                    instruct_type: llama3
                    endpoints:
                      - provider: LocalBox
                        upstream_model: vision
                        pricing: { prompt: "0.000001", completion: "0.000002" }
                """, Map.of());

        Model vision = model(config, "testco/vision");
        assertThat(vision.created()).isEqualTo(1700000000L);
        assertThat(vision.description()).isEqualTo("Sees things");
        assertThat(vision.modality()).isEqualTo("text+image->text");
        assertThat(vision.tokenizer()).isEqualTo("Llama3");
        assertThat(vision.instructType()).isEqualTo("llama3");
        assertThat(vision.endpoints().getFirst().providerSlug())
                .as("provider references are case-insensitive")
                .isEqualTo("localbox");
        Provider.Links links = provider(config, "localbox").links();
        assertThat(links.privacyPolicyUrl()).isEqualTo("https://localbox.example/privacy");
        assertThat(links.headquarters()).isEqualTo("DE");
        assertThat(links.datacenters()).containsExactly("DE", "FR");
    }

    @Test
    void modelCreatedMayBeADateOrAnInstant() {
        assertThat(model(
                                load(
                                        TESTCLOUD.replace(
                                                "name: \"TestCo: Alpha\"", "name: Alpha\n    created: 2025-06-30"),
                                        Map.of()),
                                "testco/alpha")
                        .created())
                .isEqualTo(1751241600L);
        assertThat(model(
                                load(
                                        TESTCLOUD.replace(
                                                "name: \"TestCo: Alpha\"",
                                                "name: Alpha\n    created: \"2025-06-30T12:00:00Z\""),
                                        Map.of()),
                                "testco/alpha")
                        .created())
                .isEqualTo(1751284800L);
    }

    @Test
    void aFileModelWithoutCreatedIsDatedByTheFilesLastChange() throws IOException {
        Path file = write(TESTCLOUD);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_750_000_000_000L));

        GatewayConfig config = new ConfigLoader(Map.of(), KINDS, SCHEMES).load(Optional.of(file), Overrides.NONE);

        assertThat(model(config, "testco/alpha").created()).isEqualTo(1_750_000_000L);
    }

    private GatewayConfig load(String yaml, Map<String, String> env) {
        return new ConfigLoader(env, KINDS, SCHEMES).load(Optional.of(write(yaml)), Overrides.NONE);
    }

    private Path write(String yaml) {
        try {
            Path file = Files.createTempFile(dir, "switchboard", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Model model(GatewayConfig config, String id) {
        return config.models().stream()
                .filter(m -> m.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no model " + id));
    }

    /** A provider's OpenAI-compatible connection (every bundled and test provider has one). */
    static Connection.OpenAiCompatible openAi(Provider provider) {
        return (Connection.OpenAiCompatible) provider.connection();
    }

    static Provider provider(GatewayConfig config, String slug) {
        return config.providers().stream()
                .filter(p -> p.slug().equals(slug))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no provider " + slug));
    }
}
