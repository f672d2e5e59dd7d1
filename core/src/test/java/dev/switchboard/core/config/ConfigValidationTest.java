package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the loader rejects: every problem at once, each with its file, path and reason. */
class ConfigValidationTest {
    /** A valid provider entry, for tests about something else. */
    private static final String PROVIDER = """
            providers:
              - slug: p
                kind: openai
                base_url: https://p.example
            """;

    @TempDir
    Path dir;

    @Test
    void reportsEveryMistakeOfAFileInOneException() {
        Path file = write("""
                server:
                  port: 8080
                  prot: 9090
                providers:
                  - slug: good
                    kind: openai
                    base_url: https://good.example/v1
                  - slug: weird
                    kind: grpc
                    base_url: https://weird.example
                  - slug: ftp
                    kind: openai
                    base_url: ftp://files.example/v1
                models:
                  - id: acme/no-pricing
                    context_length: 1000
                    endpoints:
                      - provider: good
                        upstream_model: a
                  - id: acme/negative
                    context_length: 1000
                    endpoints:
                      - provider: good
                        upstream_model: b
                        pricing: { prompt: "-0.000001", completion: "0.000002" }
                """);

        ConfigException e = rejected(file, Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        tuple(file.toString(), "server.prot"),
                        tuple(file.toString(), "providers[1].kind"),
                        tuple(file.toString(), "providers[2].base_url"),
                        tuple(file.toString(), "models[0].endpoints[0].pricing"),
                        tuple(file.toString(), "models[1].endpoints[0].pricing.prompt"));
        assertThat(reason(e, "server.prot")).startsWith("unknown key").contains("host", "port", "max_body_bytes");
        assertThat(reason(e, "providers[1].kind")).contains("grpc").contains("openai");
        assertThat(reason(e, "providers[2].base_url")).contains("http://").contains("https://");
        assertThat(reason(e, "models[0].endpoints[0].pricing")).contains("required");
        assertThat(reason(e, "models[1].endpoints[0].pricing.prompt")).contains("negative");
        assertThat(e.getMessage())
                .startsWith("5 configuration problem(s)")
                .contains(file + ": server.prot: unknown key")
                .contains(file + ": providers[1].kind: unknown wire format 'grpc'");
    }

    @Test
    void endpointNamingAnUndefinedProviderIsAProblem() {
        ConfigException e = rejected(write("""
                models:
                  - id: acme/orphan
                    context_length: 1000
                    endpoints:
                      - provider: nowhere
                        upstream_model: x
                        pricing: { prompt: "0.000001", completion: "0.000002" }
                """), Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("models[0].endpoints[0].provider");
            assertThat(p.reason()).contains("nowhere").contains("no provider");
        });
    }

    @Test
    void invalidYamlIsReportedWithLineAndColumn() {
        Path file = write("""
                server:
                  port: 8080
                providers: [ { slug: x
                """);

        ConfigException e = rejected(file, Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(file.toString());
            assertThat(p.path()).matches("line \\d+, column \\d+");
            assertThat(p.reason()).startsWith("invalid YAML");
        });
    }

    @Test
    void tabIndentationIsInvalidYamlAtItsLine() {
        ConfigException e = rejected(write("server:\n\tport: 8080\n"), Map.of());

        assertThat(e.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.path()).startsWith("line 2,"));
    }

    @Test
    void topLevelMustBeAMapping() {
        ConfigException e = rejected(write("- just\n- a list\n"), Map.of());

        assertThat(e.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("mapping"));
    }

    @Test
    void missingFileIsAProblemNotACrash() {
        Path missing = dir.resolve("nope.yaml");

        ConfigException e = rejected(missing, Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(missing.toString());
            assertThat(p.reason()).isEqualTo("cannot read: no such file");
        });
    }

    @Test
    void unknownKeysAreReportedAtEveryLevel() {
        ConfigException e = rejected(write("""
                serve: {}
                timeouts: { firstbyte: 10s }
                streaming: { keepalive: 1s }
                storage: { path: x.db }
                providers:
                  - slug: p
                    kind: openai
                    base_url: https://p.example
                    apikey: x
                models:
                  - id: acme/m
                    context_length: 10
                    contex_length: 10
                    endpoints:
                      - provider: p
                        upstream_model: m
                        price: {}
                        pricing: { prompt: "0", completion: "0", cached: "0" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        "serve",
                        "timeouts.firstbyte",
                        "streaming.keepalive",
                        "storage.path",
                        "providers[0].apikey",
                        "models[0].contex_length",
                        "models[0].endpoints[0].price",
                        "models[0].endpoints[0].pricing.cached");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.reason()).startsWith("unknown key"));
    }

    @Test
    void requiredFieldsAreReported() {
        ConfigException e = rejected(write("""
                providers:
                  - name: Nameless
                models:
                  - name: Anonymous
                  - id: acme/no-endpoints
                    context_length: 10
                  - id: acme/bare-endpoint
                    context_length: 10
                    endpoints:
                      - pricing: { prompt: "0" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path, ConfigProblem::reason)
                .contains(
                        tuple("providers[0].slug", "is required"),
                        tuple("providers[0].kind", "is required"),
                        tuple("providers[0].base_url", "is required"),
                        tuple("models[0].id", "is required"),
                        tuple("models[0].context_length", "is required"),
                        tuple("models[1].endpoints", "is required: a model needs at least one endpoint"),
                        tuple("models[2].endpoints[0].provider", "is required"),
                        tuple("models[2].endpoints[0].upstream_model", "is required"),
                        tuple("models[2].endpoints[0].pricing.completion", "is required"));
    }

    @Test
    void malformedValuesAreReported() {
        ConfigException e = rejected(write("""
                server: { port: 70000, max_body_bytes: lots }
                storage: { url: "postgres://db/switchboard" }
                providers:
                  - slug: Upper_Case
                    kind: openai
                    base_url: "http://exa mple.com"
                models:
                  - id: "acme/bad id"
                    context_length: -5
                    endpoints: not-a-list
                  - id: acme/bad-price
                    context_length: 10
                    endpoints:
                      - provider: upper_case
                        upstream_model: x
                        pricing: { prompt: "cheap", completion: "1e-6" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .contains(
                        "server.port",
                        "server.max_body_bytes",
                        "storage.url",
                        "providers[0].slug",
                        "providers[0].base_url",
                        "models[0].id",
                        "models[0].context_length",
                        "models[0].endpoints",
                        "models[1].endpoints[0].pricing.prompt");
        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .as("1e-6 is an exact decimal")
                .doesNotContain("models[1].endpoints[0].pricing.completion");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"30 seconds", "10", "0s", "-5s", "1d", "PT-1S", "fast"})
    void rejectsDurationsThatAreNotPositive(String text) {
        ConfigException e = rejected(write("timeouts: { total: \"" + text + "\" }"), Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("timeouts.total");
            assertThat(p.reason()).contains("500ms, 30s, 5m or PT30S");
        });
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"yesterday", "2025-13-01", "2025-06-30 12:00", "-5"})
    void rejectsAModelCreatedThatIsNoPointInTime(String text) {
        ConfigException e = rejected(write("""
                providers:
                  - { slug: p, kind: openai, base_url: "http://127.0.0.1:1/v1" }
                models:
                  - id: acme/dated
                    created: "%s"
                    context_length: 1000
                    endpoints:
                      - { provider: p, upstream_model: x, pricing: { prompt: "0", completion: "0" } }
                """.formatted(text)), Map.of());

        assertThat(e.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("models[0].created"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "server: { body_timeout: \"0s\" }",
                "server: { max_connections: 0 }",
                "upstream: { max_body_bytes: 10 }",
                "upstream: { max_event_bytes: \"lots\" }",
                "upstream: { retries: 3 }",
                "upstream: { pool_idle_timeout: \"0s\" }",
                "upstream: { pool_max_idle: -1 }"
            })
    void rejectsBadServerAndUpstreamBounds(String yaml) {
        ConfigException e = rejected(write(yaml), Map.of());

        assertThat(e.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.path()).matches("(server|upstream)\\..*"));
    }

    @Test
    void badEnvironmentOverrideIsReportedAtTheSettingItOverrides() {
        ConfigException e = rejected(
                write("server: { port: 8080 }"),
                Map.of("SWITCHBOARD_SERVER_PORT", "eighty", "SWITCHBOARD_TIMEOUTS_IDLE", "soon"));

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        tuple("environment variable SWITCHBOARD_SERVER_PORT", "server.port"),
                        tuple("environment variable SWITCHBOARD_TIMEOUTS_IDLE", "timeouts.idle"));
        assertThat(e.getMessage())
                .contains("environment variable SWITCHBOARD_TIMEOUTS_IDLE: timeouts.idle: must be a positive duration");
    }

    @Test
    void backlogBoundMustBeAPositiveInteger() {
        ConfigException e = rejected(write("storage: { max_pending_records: 0 }"), Map.of());

        assertThat(reason(e, "storage.max_pending_records")).contains("between 1 and");
    }

    @Test
    void storageUrlWithAnUnknownSchemeNamesTheSupportedOnes() {
        ConfigException e = rejected(write("storage: { url: \"postgresql://db.internal/switchboard\" }"), Map.of());

        assertThat(reason(e, "storage.url"))
                .isEqualTo("the scheme postgresql: is not supported; the supported schemes are sqlite:");
    }

    @Test
    void storageUrlSchemeIsCheckedAgainstTheRegisteredBackends() {
        Path file = write("storage: { url: \"postgresql://db.internal/switchboard\" }");

        assertThatCode(() -> new ConfigLoader(Map.of(), ConfigLoaderTest.KINDS, Set.of("sqlite", "postgresql"))
                        .load(Optional.of(file), Overrides.NONE))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"data/switchboard.db", "sqlite:", "C:\\data\\switchboard.db", ":memory:"})
    void storageUrlWithoutSchemeOrLocationIsAProblem(String url) {
        ConfigException e = rejected(write("storage: { url: '" + url + "' }"), Map.of());

        assertThat(reason(e, "storage.url")).startsWith("must be SCHEME:LOCATION");
    }

    @Test
    void allowNewDatabaseFromTheEnvironmentMustBeTrueOrFalse() {
        ConfigException e =
                rejected(write("server: { port: 8080 }"), Map.of("SWITCHBOARD_ALLOW_NEW_DATABASE", "yes please"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("environment variable SWITCHBOARD_ALLOW_NEW_DATABASE");
            assertThat(p.reason()).isEqualTo("must be true or false");
        });
    }

    @Test
    void badProviderBaseUrlFromTheEnvironmentIsAProblem() {
        Path file = write("""
                providers:
                  - slug: testcloud
                    kind: openai
                    base_url: https://api.testcloud.example/v1
                """);

        List<Map<String, String>> badUrls = List.of(
                Map.of("SWITCHBOARD_PROVIDERS_TESTCLOUD_BASE_URL", "not a url"),
                Map.of("SWITCHBOARD_PROVIDERS_TESTCLOUD_BASE_URL", "ftp://files.example/v1"));
        for (Map<String, String> env : badUrls) {
            ConfigException e = rejected(file, env);
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.source()).isEqualTo("environment variable SWITCHBOARD_PROVIDERS_TESTCLOUD_BASE_URL");
                assertThat(p.path()).isEqualTo("providers[0].base_url");
            });
        }
    }

    @Test
    void modelsWithProblemsDoNotHideProblemsOfOtherSections() {
        ConfigException e = rejected(write("""
                server: { port: -1 }
                timeouts: { idle: never }
                models:
                  - id: acme/x
                    context_length: 10
                    endpoints:
                      - provider: missing
                        upstream_model: x
                        pricing: { prompt: "0", completion: "0" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("server.port", "timeouts.idle", "models[0].endpoints[0].provider");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"server: 8080", "timeouts: 30s", "storage: \"sqlite:/tmp/x.db\"", "streaming: [1s]"})
    void sectionWrittenAsAScalarOrListMustBeAMapping(String yaml) {
        ConfigException e = rejected(write(yaml), Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(yaml.substring(0, yaml.indexOf(':')));
            assertThat(p.reason()).isEqualTo("must be a mapping");
        });
    }

    @Test
    void sectionThatIsNotAMappingStaysAProblemWhenTheEnvironmentOverridesOneOfItsSettings() {
        ConfigException e = rejected(write("server: 8080"), Map.of("SWITCHBOARD_SERVER_PORT", "9000"));

        assertThat(e.problems())
                .extracting(ConfigProblem::path, ConfigProblem::reason)
                .containsExactly(tuple("server", "must be a mapping"));
    }

    @Test
    void pricingThatIsNotAMappingIsOneProblem() {
        ConfigException e = rejected(write(PROVIDER + """
                models:
                  - id: acme/m
                    context_length: 10
                    endpoints:
                      - provider: p
                        upstream_model: m
                        pricing: abc
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path, ConfigProblem::reason)
                .containsExactly(tuple("models[0].endpoints[0].pricing", "must be a mapping"));
    }

    @ParameterizedTest(name = "enabled: {0}")
    @ValueSource(strings = {"nope", "0", "1", "\"yes\"", "\"\"", "[false]", "{a: b}"})
    void enabledMustBeTrueOrFalse(String written) {
        ConfigException e = rejected(
                write(PROVIDER.replace(
                        "base_url: https://p.example", "base_url: https://p.example\n    enabled: " + written)),
                Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path, ConfigProblem::reason)
                .containsExactly(tuple("providers[0].enabled", "must be true or false"));
    }

    @Test
    void badEnabledFromTheEnvironmentNamesTheVariable() {
        ConfigException e = rejected(write(PROVIDER), Map.of("SWITCHBOARD_PROVIDERS_P_ENABLED", "off-ish"));

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path)
                .containsExactly(tuple("environment variable SWITCHBOARD_PROVIDERS_P_ENABLED", "providers[0].enabled"));
    }

    @Test
    void listItemsThatAreNotStringsAreReportedEachAtItsPath() {
        ConfigException e = rejected(write("""
                providers:
                  - slug: p
                    kind: openai
                    base_url: https://p.example
                    datacenters: [US, 1]
                models:
                  - id: acme/m
                    context_length: 10
                    input_modalities: text
                    output_modalities: [1, {a: b}]
                    supported_parameters: [temperature, {x: 1}]
                    endpoints:
                      - provider: p
                        upstream_model: m
                        supported_parameters: [true]
                        pricing: { prompt: "0", completion: "0" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        "providers[0].datacenters[1]",
                        "models[0].input_modalities",
                        "models[0].output_modalities[0]",
                        "models[0].output_modalities[1]",
                        "models[0].supported_parameters[1]",
                        "models[0].endpoints[0].supported_parameters[0]");
        assertThat(reason(e, "models[0].input_modalities")).isEqualTo("must be a list of strings");
        assertThat(reason(e, "models[0].output_modalities[0]")).startsWith("must be a string (quote it");
        assertThat(reason(e, "models[0].output_modalities[1]")).isEqualTo("must be a string");
    }

    @Test
    void stringFieldsMustBeYamlStringsNotWhatYamlGuessedFromAnUnquotedValue() {
        ConfigException e = rejected(write("""
                server: { host: 0 }
                providers:
                  - slug: p
                    name: 12
                    kind: openai
                    base_url: https://p.example
                    api_key: 0123
                    headquarters: NO
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        "server.host", "providers[0].name", "providers[0].api_key", "providers[0].headquarters");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.reason()).startsWith("must be a string (quote it"));
    }

    @Test
    void modelWithAnEmptyEndpointListIsAProblem() {
        ConfigException e = rejected(write("""
                models:
                  - id: acme/m
                    context_length: 10
                    endpoints: []
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path, ConfigProblem::reason)
                .containsExactly(
                        tuple("models[0].endpoints", "must not be empty: a model needs at least one endpoint"));
    }

    @Test
    void imageAndWebSearchPricesAreValidatedLikeTheOthers() {
        ConfigException e = rejected(write(PROVIDER + """
                models:
                  - id: acme/m
                    context_length: 10
                    endpoints:
                      - provider: p
                        upstream_model: m
                        pricing: { prompt: "0", completion: "0", image: "abc", web_search: "-0.01" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path, ConfigProblem::reason)
                .containsExactlyInAnyOrder(
                        tuple("models[0].endpoints[0].pricing.image", "must be a decimal number such as \"0.0000025\""),
                        tuple("models[0].endpoints[0].pricing.web_search", "must not be negative"));
    }

    @Test
    void duplicateYamlKeyIsAProblemAtItsPath() {
        Path file = write("""
                server:
                  port: 1
                  port: 2
                """);

        ConfigException e = rejected(file, Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(file.toString());
            assertThat(p.path()).isEqualTo("server.port");
            assertThat(p.reason()).isEqualTo("duplicate key (again at line 3)");
        });
    }

    @Test
    void duplicateYamlKeyInsideAListEntryIsAProblemAtItsPath() {
        ConfigException e = rejected(write(PROVIDER + "    kind: openai\n"), Map.of());

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("providers[0].kind");
    }

    @Test
    void duplicateSlugsIdsAndEndpointProvidersWithinOneFileAreProblems() {
        ConfigException e = rejected(write("""
                providers:
                  - slug: p
                    kind: openai
                    base_url: https://p.example
                  - slug: p
                    kind: openai
                    base_url: https://p2.example
                models:
                  - id: acme/m
                    context_length: 10
                    endpoints:
                      - provider: p
                        upstream_model: m
                        pricing: { prompt: "0", completion: "0" }
                      - provider: P
                        upstream_model: m-again
                        pricing: { prompt: "0", completion: "0" }
                  - id: acme/m
                    context_length: 10
                    endpoints:
                      - provider: p
                        upstream_model: m
                        pricing: { prompt: "0", completion: "0" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path, ConfigProblem::reason)
                .containsExactlyInAnyOrder(
                        tuple("providers[1].slug", "duplicate slug 'p': already used at providers[0]"),
                        tuple(
                                "models[0].endpoints[1].provider",
                                "duplicate provider 'p': already used at models[0].endpoints[0]"),
                        tuple("models[1].id", "duplicate id 'acme/m': already used at models[0]"));
    }

    @Test
    void everyProblemOfAModelIsReportedEvenWhenItsEndpointIsInvalid() {
        ConfigException e = rejected(write(PROVIDER + """
                models:
                  - id: acme/m
                    created: soon
                    context_length: 10
                    input_modalities: text
                    tokenizer: [a]
                    endpoints:
                      - provider: p
                        pricing: { prompt: "0", completion: "0" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        "models[0].created",
                        "models[0].input_modalities",
                        "models[0].tokenizer",
                        "models[0].endpoints[0].upstream_model");
    }

    @Test
    void everyProblemOfAProviderIsReportedEvenWhenItsRequiredFieldsAreInvalid() {
        ConfigException e = rejected(write("""
                providers:
                  - slug: p
                    kind: grpc
                    base_url: ftp://p.example
                    enabled: maybe
                    max_tokens_field: max_output_tokens
                    datacenters: [1]
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        "providers[0].kind",
                        "providers[0].base_url",
                        "providers[0].enabled",
                        "providers[0].max_tokens_field",
                        "providers[0].datacenters[0]");
        assertThat(reason(e, "providers[0].max_tokens_field"))
                .isEqualTo("must be as_sent, max_tokens or max_completion_tokens");
    }

    @Test
    void endpointNamingAProviderWhoseEntryIsInvalidGetsNoFollowOnProblem() {
        ConfigException e = rejected(write("""
                providers:
                  - slug: mock
                    kind: grpc
                    base_url: https://mock.example
                  - slug: Shouty
                    kind: openai
                    base_url: https://shouty.example
                models:
                  - id: acme/m
                    context_length: 10
                    endpoints:
                      - provider: mock
                        upstream_model: m
                        pricing: { prompt: "0", completion: "0" }
                      - provider: shouty
                        upstream_model: m
                        pricing: { prompt: "0", completion: "0" }
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("providers[0].kind", "providers[1].slug");
    }

    @Test
    void endpointWithMoreContextThanItsModelIsAProblem() {
        ConfigException e = rejected(write(PROVIDER + """
                models:
                  - id: acme/m
                    context_length: 1000
                    endpoints:
                      - provider: p
                        upstream_model: m
                        context_length: 1001
                        pricing: { prompt: "0", completion: "0" }
                """), Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("models[0].endpoints[0].context_length");
            assertThat(p.reason()).startsWith("must not exceed the model's context_length (1000)");
        });
    }

    @Test
    void outOfRangePortFromTheCommandLineNamesTheOption() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> new ConfigLoader(Map.of(), ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                        .load(
                                Optional.of(write("server: { port: 8080 }")),
                                new Overrides(Optional.empty(), Optional.of(70000), Optional.empty())));

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path, ConfigProblem::reason)
                .containsExactly(tuple("command-line option --port", "server.port", "must be between 0 and 65535"));
    }

    @Test
    void outOfRangePortFromTheCommandLineNamesTheOptionWithoutAFile() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> new ConfigLoader(Map.of(), ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                        .load(Optional.empty(), new Overrides(Optional.empty(), Optional.of(-1), Optional.empty())));

        assertThat(e.problems()).extracting(ConfigProblem::source).containsExactly("command-line option --port");
    }

    @Test
    void valueBuiltFromAnUnsetVariableNamesTheVariable() {
        ConfigException e = rejected(write("""
                server: { port: "${BIND_PORT}" }
                timeouts: { idle: "${IDLE}" }
                providers:
                  - slug: p
                    kind: openai
                    base_url: ${P_URL}
                  - slug: q
                    kind: openai
                    base_url: https://${Q_HOST}:${Q_PORT}/v1
                """), Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::path, ConfigProblem::reason)
                .containsExactlyInAnyOrder(
                        tuple("server.port", "must be an integer (environment variable BIND_PORT is unset)"),
                        tuple(
                                "timeouts.idle",
                                "must be a positive duration such as 500ms, 30s, 5m or PT30S (environment variable IDLE is unset)"),
                        tuple("providers[0].base_url", "must not be empty (environment variable P_URL is unset)"),
                        tuple(
                                "providers[1].base_url",
                                "must be an http:// or https:// URL (environment variables Q_HOST, Q_PORT are unset)"));
    }

    @Test
    void syntaxErrorIsReportedWithoutTheSourceLineItQuotes() {
        for (String yaml : List.of(
                "providers:\n  - slug: p\n    api_key: \"sk-live-SECRET\n",
                "providers:\n  - slug: p\n    api_key: \"sk-live-SECRET\\q\"\n",
                "providers:\n  - slug: p\n    api_key: sk-live-SECRET: x\n")) {
            ConfigException e = rejected(write(yaml), Map.of());

            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.path()).matches("line \\d+, column \\d+");
                assertThat(p.reason()).startsWith("invalid YAML: ");
            });
            assertThat(e.getMessage()).doesNotContain("SECRET").doesNotContain("sk-live");
        }
    }

    @Test
    void unterminatedQuoteSaysWhereTheQuoteBegan() {
        ConfigException e = rejected(write("providers:\n  - slug: p\n    api_key: \"sk-live-SECRET\n"), Map.of());

        assertThat(e.problems())
                .singleElement()
                .satisfies(
                        p -> assertThat(p.reason())
                                .isEqualTo(
                                        "invalid YAML: found unexpected end of stream (while scanning a quoted scalar that began at line 3, column 14)"));
    }

    @Test
    void directoryGivenAsTheFileIsAProblemSayingSo() {
        ConfigException e = rejected(dir, Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::reason)
                .containsExactly(tuple(dir.toString(), "cannot read: is a directory"));
    }

    @Test
    void unreadableFileIsAProblemSayingSo() throws IOException {
        Path file = write("server: { port: 1 }");
        Files.setPosixFilePermissions(file, java.util.Set.of());
        assumeFalse(Files.isReadable(file), "running as a user who can read any file (root)");

        ConfigException e = rejected(file, Map.of());

        assertThat(e.problems())
                .extracting(ConfigProblem::reason)
                .containsExactly("cannot read: not readable (permission denied)");
    }

    @Test
    void unknownMaxTokensFieldFromTheEnvironmentNamesTheVariable() {
        ConfigException e = rejected(write(PROVIDER), Map.of("SWITCHBOARD_PROVIDERS_P_MAX_TOKENS_FIELD", "max_output"));

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path)
                .containsExactly(tuple(
                        "environment variable SWITCHBOARD_PROVIDERS_P_MAX_TOKENS_FIELD",
                        "providers[0].max_tokens_field"));
    }

    @Test
    void httpVersionOtherThan1_1Or2IsAProblem() {
        ConfigException e = rejected(write(PROVIDER + "    http_version: \"3\"\n"), Map.of());

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("providers[0].http_version");
        assertThat(reason(e, "providers[0].http_version")).isEqualTo("must be \"1.1\" or \"2\"");
    }

    @Test
    void badHttpVersionFromTheEnvironmentNamesTheVariable() {
        ConfigException e = rejected(write(PROVIDER), Map.of("SWITCHBOARD_PROVIDERS_P_HTTP_VERSION", "h2"));

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path)
                .containsExactly(tuple(
                        "environment variable SWITCHBOARD_PROVIDERS_P_HTTP_VERSION", "providers[0].http_version"));
    }

    @Test
    void unknownKindFromTheEnvironmentNamesTheVariable() {
        ConfigException e = rejected(write(PROVIDER), Map.of("SWITCHBOARD_PROVIDERS_P_KIND", "grpc"));

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path)
                .containsExactly(tuple("environment variable SWITCHBOARD_PROVIDERS_P_KIND", "providers[0].kind"));
    }

    @Test
    void badProviderVariableIsReportedOnceWhenTheFileMergesOverTheBundledProvider() {
        ConfigException e = rejected(write("""
                providers:
                  - slug: openai
                    name: Mine
                """), Map.of("SWITCHBOARD_PROVIDERS_OPENAI_BASE_URL", "ftp://x"));

        assertThat(e.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path)
                .containsExactly(
                        tuple("environment variable SWITCHBOARD_PROVIDERS_OPENAI_BASE_URL", "providers[0].base_url"));
    }

    @Test
    void validFileLoadsWithoutProblems() {
        assertThatCode(() -> new ConfigLoader(Map.of(), ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                        .load(Optional.of(write(ConfigLoaderTest.TESTCLOUD)), Overrides.NONE))
                .doesNotThrowAnyException();
    }

    private ConfigException rejected(Path file, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> new ConfigLoader(env, ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                        .load(Optional.of(file), Overrides.NONE));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }

    private static String reason(ConfigException e, String path) {
        return e.problems().stream()
                .filter(p -> p.path().equals(path))
                .findFirst()
                .orElseThrow()
                .reason();
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
}
