package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promise of the bundled catalog: a useful set of models from many authors, several with a choice
 * of endpoints at different prices, exact non-negative prices, and providers that wait for their
 * credential instead of failing start-up.
 */
class BundledCatalogTest {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");
    private static final List<String> PRICE_FIELDS = List.of(
            "prompt",
            "completion",
            "request",
            "input_cache_read",
            "input_cache_write",
            "internal_reasoning",
            "image",
            "web_search");

    private static GatewayConfig catalog;
    private static JsonNode raw;

    @BeforeAll
    static void load() throws IOException {
        catalog = new ConfigLoader(Map.of(), ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                .load(Optional.empty(), Overrides.NONE);
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.BUNDLED_CATALOG)) {
            assertThat(in)
                    .as(ConfigLoader.BUNDLED_CATALOG + " on the class path")
                    .isNotNull();
            raw = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void hasAtLeastFortyModels() {
        assertThat(catalog.models()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void hasModelsOfAtLeastEightAuthors() {
        Set<String> authors = catalog.models().stream()
                .map(m -> m.id().substring(0, m.id().indexOf('/')))
                .collect(Collectors.toSet());

        assertThat(authors).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void offersAtLeastSixModelsOnSeveralEndpointsAtDifferentPrices() {
        List<String> choices = catalog.models().stream()
                .filter(m -> m.endpoints().size() >= 2 && distinctPrices(m) >= 2)
                .map(Model::id)
                .toList();

        assertThat(choices).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void everyPriceIsANonNegativeExactDecimalAsWritten() {
        int checked = 0;
        for (int m = 0; m < raw.path("models").size(); m++) {
            JsonNode model = raw.path("models").get(m);
            Model loaded = ConfigLoaderTest.model(catalog, model.path("id").asText());
            for (int e = 0; e < model.path("endpoints").size(); e++) {
                JsonNode pricing = model.path("endpoints").get(e).path("pricing");
                Pricing loadedPricing = loaded.endpoints().get(e).pricing();
                for (String field : PRICE_FIELDS) {
                    JsonNode price = pricing.get(field);
                    if (price == null) {
                        continue;
                    }
                    String where = model.path("id").asText() + " endpoints[" + e + "].pricing." + field;
                    assertThat(price.isTextual())
                            .as(where + " is a quoted decimal string, not a YAML float")
                            .isTrue();
                    assertThat(price.asText()).as(where).matches(PLAIN_DECIMAL);
                    assertThat(priceOf(loadedPricing, field))
                            .as(where + " loads exactly as written")
                            .isEqualTo(new BigDecimal(price.asText()));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(80);
    }

    @Test
    void everyEndpointNamesADefinedProvider() {
        Set<String> slugs = catalog.providers().stream().map(Provider::slug).collect(Collectors.toSet());

        assertThat(catalog.models())
                .allSatisfy(m -> assertThat(m.endpoints())
                        .as(m.id())
                        .isNotEmpty()
                        .allSatisfy(e -> assertThat(slugs)
                                .as(m.id() + " -> " + e.providerSlug())
                                .contains(e.providerSlug())));
    }

    @Test
    void everyProviderIsUnavailableWithoutItsVariableNamingIt() {
        Map<String, String> variables = keyVariables();

        assertThat(variables.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        catalog.providers().stream().map(Provider::slug).toList());
        for (Provider provider : catalog.providers()) {
            assertThat(provider.available())
                    .as(provider.slug() + " without " + variables.get(provider.slug()))
                    .isFalse();
            assertThat(provider.unavailableReason())
                    .as(provider.slug())
                    .hasValueSatisfying(reason -> assertThat(reason).contains(variables.get(provider.slug())));
        }
    }

    @Test
    void everyProviderIsAvailableWithItsVariable() {
        Map<String, String> env = new HashMap<>();
        keyVariables()
                .values()
                .forEach(variable -> env.put(variable, "sk-test-" + variable.toLowerCase(java.util.Locale.ROOT)));

        GatewayConfig configured = new ConfigLoader(env, ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                .load(Optional.empty(), Overrides.NONE);

        assertThat(configured.providers()).allSatisfy(p -> {
            assertThat(p.available()).as(p.slug()).isTrue();
            assertThat(ConfigLoaderTest.openAi(p).apiKey()).as(p.slug()).startsWith("sk-test-");
        });
    }

    @Test
    void eachProviderBecomesAvailableWithOnlyItsOwnVariable() {
        for (Map.Entry<String, String> entry : keyVariables().entrySet()) {
            GatewayConfig configured = new ConfigLoader(
                            Map.of(entry.getValue(), "sk-x"), ConfigLoaderTest.KINDS, ConfigLoaderTest.SCHEMES)
                    .load(Optional.empty(), Overrides.NONE);

            assertThat(ConfigLoaderTest.provider(configured, entry.getKey()).available())
                    .as(entry.getKey())
                    .isTrue();
        }
    }

    @Test
    void everyModelsContextLengthIsTheLargestOfItsEndpoints() {
        assertThat(catalog.models())
                .allSatisfy(m -> assertThat(m.endpoints().stream()
                                .mapToLong(Endpoint::contextLength)
                                .max())
                        .as(m.id() + ": context_length is the largest endpoint's, as OpenRouter reports it")
                        .hasValue(m.contextLength()));
    }

    @Test
    void openAiReceivesTheTokenLimitAsMaxCompletionTokens() {
        assertThat(ConfigLoaderTest.openAi(ConfigLoaderTest.provider(catalog, "openai"))
                        .maxTokensField())
                .isEqualTo(MaxTokensField.MAX_COMPLETION_TOKENS);
    }

    /** Slug to the variable its {@code api_key} references, read from the catalog file itself. */
    private static Map<String, String> keyVariables() {
        Map<String, String> variables = new HashMap<>();
        for (JsonNode provider : raw.path("providers")) {
            String slug = provider.path("slug").asText();
            Matcher matcher = ENV_REFERENCE.matcher(provider.path("api_key").asText(""));
            assertThat(matcher.find())
                    .as(slug + " api_key references an environment variable as ${VAR}")
                    .isTrue();
            variables.put(slug, matcher.group(1));
        }
        return variables;
    }

    private static long distinctPrices(Model model) {
        return model.endpoints().stream()
                .map(Endpoint::pricing)
                .map(p -> p.prompt().stripTrailingZeros() + "/" + p.completion().stripTrailingZeros())
                .distinct()
                .count();
    }

    private static BigDecimal priceOf(Pricing pricing, String field) {
        Map<String, Function<Pricing, BigDecimal>> fields = Map.of(
                "prompt",
                Pricing::prompt,
                "completion",
                Pricing::completion,
                "request",
                Pricing::request,
                "input_cache_read",
                Pricing::inputCacheRead,
                "input_cache_write",
                Pricing::inputCacheWrite,
                "internal_reasoning",
                Pricing::internalReasoning,
                "image",
                Pricing::image,
                "web_search",
                Pricing::webSearch);
        return fields.get(field).apply(pricing);
    }
}
