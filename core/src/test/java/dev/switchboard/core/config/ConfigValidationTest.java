package dev.switchboard.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/** What the loader rejects: every problem at once, each with its file, path and reason. */
class ConfigValidationTest {
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

        assertThat(e.problems()).extracting(ConfigProblem::source, ConfigProblem::path).containsExactlyInAnyOrder(
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
        assertThat(e.getMessage()).startsWith("5 configuration problem(s)")
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

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.path()).startsWith("line 2,"));
    }

    @Test
    void topLevelMustBeAMapping() {
        ConfigException e = rejected(write("- just\n- a list\n"), Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("mapping"));
    }

    @Test
    void missingFileIsAProblemNotACrash() {
        Path missing = dir.resolve("nope.yaml");

        ConfigException e = rejected(missing, Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(missing.toString());
            assertThat(p.reason()).startsWith("cannot read");
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

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "serve", "timeouts.firstbyte", "streaming.keepalive", "storage.path", "providers[0].apikey",
                "models[0].contex_length", "models[0].endpoints[0].price", "models[0].endpoints[0].pricing.cached");
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

        assertThat(e.problems()).extracting(ConfigProblem::path, ConfigProblem::reason).contains(
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

        assertThat(e.problems()).extracting(ConfigProblem::path).contains(
                "server.port", "server.max_body_bytes", "storage.url", "providers[0].slug", "providers[0].base_url",
                "models[0].id", "models[0].context_length", "models[0].endpoints",
                "models[1].endpoints[0].pricing.prompt");
        assertThat(e.problems()).extracting(ConfigProblem::path).as("1e-6 is an exact decimal")
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

    @Test
    void badEnvironmentOverrideIsReportedAtTheSettingItOverrides() {
        ConfigException e = rejected(write("server: { port: 8080 }"),
                Map.of("SWITCHBOARD_SERVER_PORT", "eighty", "SWITCHBOARD_TIMEOUTS_IDLE", "soon"));

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder("server.port", "timeouts.idle");
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
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("providers[0].base_url"));
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

        assertThat(e.problems()).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("server.port", "timeouts.idle", "models[0].endpoints[0].provider");
    }

    @Test
    void validFileLoadsWithoutProblems() {
        assertThatCode(() -> new ConfigLoader(Map.of(), ConfigLoaderTest.KINDS)
                .load(Optional.of(write(ConfigLoaderTest.TESTCLOUD)), Overrides.NONE)).doesNotThrowAnyException();
    }

    private ConfigException rejected(Path file, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(env, ConfigLoaderTest.KINDS).load(Optional.of(file), Overrides.NONE));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }

    private static String reason(ConfigException e, String path) {
        return e.problems().stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow().reason();
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
