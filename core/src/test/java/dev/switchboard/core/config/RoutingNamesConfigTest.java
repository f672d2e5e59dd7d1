package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.routing.names.ModelAlias;
import dev.switchboard.core.routing.names.ModelNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings that decide a request's model and provider before planning ({@code routing.model_aliases},
 * {@code force_model}, {@code default_provider}) and a provider's {@code identity}: read from the file,
 * the environment and the command line, and checked at load like every other setting.
 */
class RoutingNamesConfigTest {
    private static final String CATALOG = """
            providers:
              - slug: groq
                kind: openai
                base_url: https://groq.example/v1
            models:
              - id: acme/chat
                context_length: 1000
                endpoints:
                  - provider: groq
                    upstream_model: chat
                    pricing: { prompt: "0.000001", completion: "0.000002" }
            """;

    @TempDir
    Path dir;

    @Test
    void readsAliasesForcedModelAndDefaultProviderFromTheFile() {
        GatewayConfig config = load(CATALOG + """
                        routing:
                          model_aliases:
                            - { pattern: "gpt-4o", model: "acme/chat" }
                            - { pattern: "gpt-(.*)", model: "openai/gpt-$1" }
                          force_model: acme/chat
                          default_provider: groq
                        """, Map.of(), Overrides.NONE);

        GatewayConfig.Routing routing = config.routing();
        assertThat(routing.modelAliases())
                .extracting(ModelAlias::pattern, ModelAlias::model)
                .containsExactly(tuple("gpt-4o", "acme/chat"), tuple("gpt-(.*)", "openai/gpt-$1"));
        assertThat(routing.forceModel()).contains("acme/chat");
        assertThat(routing.defaultProvider()).contains("groq");
        assertThat(routing.modelNames().alias("gpt-4.1", "model")).isEqualTo("openai/gpt-4.1");
        assertThat(routing.retries())
                .as("the other routing settings keep their defaults")
                .isZero();
    }

    @Test
    void withoutTheSettingsIdsAreUsedAsSentAndNoProviderIsPreferred() {
        GatewayConfig.Routing routing = load(CATALOG, Map.of(), Overrides.NONE).routing();

        assertThat(routing.modelNames().identity()).isTrue();
        assertThat(routing.defaultProvider()).isEmpty();
        assertThat(routing).isEqualTo(GatewayConfig.Routing.DEFAULTS);
    }

    @Test
    void theEnvironmentAndThenTheCommandLineOverrideForcedModelAndDefaultProvider() {
        String file = CATALOG + "routing: { force_model: acme/other, default_provider: other }\n";
        Map<String, String> env = Map.of(
                "SWITCHBOARD_ROUTING_FORCE_MODEL", "acme/chat",
                "SWITCHBOARD_ROUTING_DEFAULT_PROVIDER", "groq");

        GatewayConfig fromEnv = load(file, env, Overrides.NONE);
        GatewayConfig fromCli = load(
                CATALOG,
                Map.of("SWITCHBOARD_ROUTING_FORCE_MODEL", "acme/nope"),
                new Overrides(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        Optional.of("groq/fast"),
                        Optional.of("acme/chat")));

        assertThat(fromEnv.routing().forceModel()).contains("acme/chat");
        assertThat(fromEnv.routing().defaultProvider()).contains("groq");
        assertThat(fromCli.routing().forceModel()).contains("acme/chat");
        assertThat(fromCli.routing().defaultProvider()).contains("groq/fast");
    }

    @Test
    void forcedModelsWithRoutingSyntaxAreLeftToRequestTime() {
        for (String id : new String[] {"acme/chat:nitro", "~acme/chat-latest", "openrouter/free", "switchboard/auto"}) {
            assertThat(load(CATALOG + "routing: { force_model: \"" + id + "\" }\n", Map.of(), Overrides.NONE)
                            .routing()
                            .forceModel())
                    .contains(id);
        }
    }

    @Test
    void reportsEveryMistakeInTheRoutingNamesAtItsPathAndSource() {
        Path file = write(CATALOG + """
                routing:
                  model_aliases:
                    - { pattern: "gpt-(", model: acme/chat }
                    - { pattern: "gpt-(.*)", model: "openai/$3" }
                    - { pattern: "x", model: "acme/chat?temperature=1" }
                    - { pattern: "y" }
                    - { pattern: "z", model: acme/chat, flags: i }
                  force_model: acme/missing
                  default_provider: nobody
                """);

        ConfigException e = rejected(file, Map.of(), Overrides.NONE);

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        "routing.model_aliases[0].pattern",
                        "routing.model_aliases[1].model",
                        "routing.model_aliases[2].model",
                        "routing.model_aliases[3].model",
                        "routing.model_aliases[4].flags",
                        "routing.force_model",
                        "routing.default_provider");
        assertThat(reason(e, "routing.model_aliases[0].pattern")).contains("not a valid regular expression");
        assertThat(reason(e, "routing.model_aliases[1].model")).contains("group $3");
        assertThat(reason(e, "routing.model_aliases[3].model")).contains("required");
        assertThat(reason(e, "routing.force_model")).contains("no model 'acme/missing'");
        assertThat(reason(e, "routing.default_provider")).contains("no provider with slug 'nobody'");
    }

    @Test
    void aProblemWithAnOverrideNamesTheVariableOrOption() {
        Path file = write(CATALOG);

        ConfigException fromEnv =
                rejected(file, Map.of("SWITCHBOARD_ROUTING_DEFAULT_PROVIDER", "nobody"), Overrides.NONE);
        ConfigException fromCli = rejected(
                file,
                Map.of(),
                new Overrides(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        Optional.empty(),
                        Optional.of("acme/chat?temperature=1")));

        assertThat(fromEnv.problems())
                .extracting(ConfigProblem::source)
                .containsExactly("environment variable SWITCHBOARD_ROUTING_DEFAULT_PROVIDER");
        assertThat(fromCli.problems())
                .extracting(ConfigProblem::source)
                .containsExactly("command-line option --force-model");
        assertThat(fromCli.getMessage()).contains("without '?' parameters");
    }

    @Test
    void theNumberOfAliasesIsBounded() {
        StringBuilder yaml = new StringBuilder(CATALOG + "routing:\n  model_aliases:\n");
        for (int i = 0; i <= ModelNames.MAX_ALIASES; i++) {
            yaml.append("    - { pattern: \"a").append(i).append("\", model: acme/chat }\n");
        }

        ConfigException e = rejected(write(yaml.toString()), Map.of(), Overrides.NONE);

        assertThat(reason(e, "routing.model_aliases")).contains("at most 100 aliases");
    }

    @Test
    void readsAProvidersIdentityAndDefaultsTheUserAgent() {
        GatewayConfig config = load("""
                        providers:
                          - slug: named
                            kind: openai
                            base_url: https://named.example/v1
                            identity:
                              user_agent: "Kilo-Code/4.1"
                              http_referer: https://kilocode.example
                              x_title: Kilo Code
                          - slug: partly
                            kind: openai
                            base_url: https://partly.example/v1
                            identity: { x_title: Mine }
                          - slug: plain
                            kind: openai
                            base_url: https://plain.example/v1
                        """, Map.of(), Overrides.NONE);

        assertThat(provider(config, "named").identity())
                .isEqualTo(new Provider.Identity(
                        "Kilo-Code/4.1", Optional.of("https://kilocode.example"), Optional.of("Kilo Code")));
        assertThat(provider(config, "partly").identity())
                .isEqualTo(new Provider.Identity("Switchboard", Optional.empty(), Optional.of("Mine")));
        assertThat(provider(config, "plain").identity()).isEqualTo(Provider.Identity.DEFAULT);
    }

    @Test
    void anIdentityCanBeGivenToABundledProviderByItsSlugAlone() {
        GatewayConfig config =
                load("providers:\n  - slug: openrouter\n    identity: { x_title: My App }\n", Map.of(), Overrides.NONE);

        Provider openRouter = provider(config, "openrouter");
        assertThat(openRouter.identity().title()).contains("My App");
        assertThat(openRouter.connection().toString()).contains("https://openrouter.ai/api/v1");
    }

    @Test
    void identityFieldsComeFromTheEnvironmentToo() {
        String file = """
                providers:
                  - slug: my-cloud.eu
                    kind: openai
                    base_url: https://cloud.example/v1
                    identity: { x_title: From File, user_agent: File/1 }
                """;
        Map<String, String> env = Map.of(
                "SWITCHBOARD_PROVIDERS_MY_CLOUD_EU_IDENTITY_USER_AGENT", "Env/2",
                "SWITCHBOARD_PROVIDERS_MY_CLOUD_EU_IDENTITY_HTTP_REFERER", "https://env.example");

        Provider.Identity identity =
                provider(load(file, env, Overrides.NONE), "my-cloud.eu").identity();
        ConfigException bad = rejected(
                write(file), Map.of("SWITCHBOARD_PROVIDERS_MY_CLOUD_EU_IDENTITY_X_TITLE", "Tab\there"), Overrides.NONE);

        assertThat(identity)
                .isEqualTo(
                        new Provider.Identity("Env/2", Optional.of("https://env.example"), Optional.of("From File")));
        assertThat(bad.problems())
                .extracting(ConfigProblem::source, ConfigProblem::path)
                .containsExactly(tuple(
                        "environment variable SWITCHBOARD_PROVIDERS_MY_CLOUD_EU_IDENTITY_X_TITLE",
                        "providers[0].identity.x_title"));
    }

    @Test
    void refusesIdentityValuesThatCouldBreakTheHeaderOrAreTooLong() {
        Path file = write(
                """
                providers:
                  - slug: bad
                    kind: openai
                    base_url: https://bad.example/v1
                    identity:
                      user_agent: "Agent\\r\\nX-Injected: yes"
                      http_referer: "%s"
                      x_title: "%s"
                      referer: https://typo.example
                  - slug: empty
                    kind: openai
                    base_url: https://empty.example/v1
                    identity: { user_agent: "", x_title: "Caf\\u00e9" }
                  - slug: wrong
                    kind: openai
                    base_url: https://wrong.example/v1
                    identity: Kilo
                """.formatted("h".repeat(IdentityReader.MAX_VALUE + 1), "t".repeat(IdentityReader.MAX_TITLE + 1)));

        ConfigException e = rejected(file, Map.of(), Overrides.NONE);

        assertThat(e.problems())
                .extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder(
                        "providers[0].identity.user_agent",
                        "providers[0].identity.http_referer",
                        "providers[0].identity.x_title",
                        "providers[0].identity.referer",
                        "providers[1].identity.user_agent",
                        "providers[1].identity.x_title",
                        "providers[2].identity");
        assertThat(reason(e, "providers[0].identity.user_agent")).contains("no line breaks");
        assertThat(reason(e, "providers[0].identity.http_referer")).contains("1 to 1024 characters");
        assertThat(reason(e, "providers[0].identity.x_title")).contains("1 to 256 characters");
        assertThat(reason(e, "providers[1].identity.x_title")).contains("ASCII");
        assertThat(reason(e, "providers[2].identity")).contains("mapping");
        assertThat(e.getMessage()).as("a rejected value is never echoed").doesNotContain("X-Injected");
    }

    private GatewayConfig load(String yaml, Map<String, String> env, Overrides overrides) {
        return new ConfigLoader(env, ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                .load(Optional.of(write(yaml)), overrides);
    }

    private ConfigException rejected(Path file, Map<String, String> env, Overrides overrides) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> new ConfigLoader(env, ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                        .load(Optional.of(file), overrides));
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

    private static Provider provider(GatewayConfig config, String slug) {
        return config.providers().stream()
                .filter(p -> p.slug().equals(slug))
                .findFirst()
                .orElseThrow();
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
