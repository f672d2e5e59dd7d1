package dev.switchboard.core.config;

import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.DataPolicy;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.HttpVersion;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code providers:} and {@code models:} sections (of the bundled catalog or of the
 * configuration file) into catalog records, merging later sources over earlier ones by slug and id.
 *
 * <p>Every field of an entry is read, and every problem with it recorded, before the entry is kept or
 * dropped, so one mistake never hides another. Within one source a slug, a model id, or a provider
 * among one model's endpoints may appear only once. An endpoint naming a provider whose entry exists
 * but is invalid gets no second problem of its own: the provider's entry already says what is wrong.
 */
final class CatalogReader {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    /** {@code author/slug} as OpenRouter names models, or a bare slug for a local alias. */
    private static final Pattern MODEL_ID =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._:~-]*)?");

    static final Set<String> PROVIDER_KEYS = Set.of(
            "slug",
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
            "headquarters",
            "datacenters",
            "data_policy",
            "identity");
    private static final Set<String> MODEL_KEYS = Set.of(
            "id",
            "name",
            "created",
            "description",
            "context_length",
            "input_modalities",
            "output_modalities",
            "tokenizer",
            "instruct_type",
            "supported_parameters",
            "endpoints");
    private static final Set<String> ENDPOINT_KEYS = Set.of(
            "provider",
            "upstream_model",
            "context_length",
            "max_completion_tokens",
            "quantization",
            "supported_parameters",
            "pricing",
            "tag",
            "data_policy");
    private static final Set<String> DATA_POLICY_KEYS = Set.of("training", "retains_prompts", "zdr");
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Set<String> PRICING_KEYS = Set.of(
            "prompt",
            "completion",
            "request",
            "input_cache_read",
            "input_cache_write",
            "internal_reasoning",
            "image",
            "web_search");

    private final Set<String> supportedKinds;
    private final Provenance provenance;
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Set<String> invalidProviders = new HashSet<>();
    private final Map<String, Model> models = new LinkedHashMap<>();
    /** Each provider's stated data policy: the default of its endpoints. */
    private final Map<String, DataPolicy> providerPolicies = new HashMap<>();

    CatalogReader(Set<String> supportedKinds, Provenance provenance) {
        this.supportedKinds = supportedKinds;
        this.provenance = provenance;
    }

    void readProviders(ConfigNode root) {
        Map<String, String> seen = new HashMap<>();
        for (ConfigNode node : root.items("providers")) {
            node.onlyKeys(PROVIDER_KEYS);
            Optional<String> slug = node.requiredString("slug");
            slug.ifPresent(s -> unique(node, "slug", s, seen));
            DataPolicy policy = dataPolicy(node, DataPolicy.UNKNOWN);
            slug.ifPresent(s -> providerPolicies.put(s.toLowerCase(Locale.ROOT), policy));
            readProvider(node, slug)
                    .ifPresentOrElse(
                            p -> providers.put(p.slug(), p),
                            () -> slug.ifPresent(s -> invalidProviders.add(s.toLowerCase(Locale.ROOT))));
        }
    }

    /**
     * @param defaultCreated {@code created} of a model that does not give its own, in Unix seconds: the
     *                       bundled catalog gives every model's; a file's models that leave it out get
     *                       the time the file was last changed, when they were added as far as this
     *                       gateway can tell
     */
    void readModels(ConfigNode root, long defaultCreated) {
        Map<String, String> seen = new HashMap<>();
        for (ConfigNode node : root.items("models")) {
            node.onlyKeys(MODEL_KEYS);
            Optional<String> id = node.requiredString("id");
            id.ifPresent(i -> unique(node, "id", i, seen));
            readModel(node, id, defaultCreated).ifPresent(m -> models.put(m.id(), m));
        }
    }

    Map<String, Provider> providers() {
        return providers;
    }

    List<Model> models() {
        return new ArrayList<>(models.values());
    }

    private Optional<Provider> readProvider(ConfigNode node, Optional<String> slug) {
        Optional<String> validSlug = slug.filter(s ->
                check(node, "slug", SLUG.matcher(s).matches(), "must be lowercase letters, digits, '.', '_' or '-'"));
        Optional<String> kind = node.requiredString("kind")
                .filter(k -> check(
                        node,
                        "kind",
                        supportedKinds.contains(k),
                        "unknown wire format '" + k + "' (supported: " + String.join(", ", supportedKinds) + ")"));
        String name = node.string("name", slug.orElse(""));
        boolean enabled = node.bool("enabled", true);
        // read even when the kind is invalid, so that every problem of the entry is reported together
        Optional<Connection> connection = connection(node, kind.orElse(""));
        Provider.Links links = new Provider.Links(
                node.string("privacy_policy_url").orElse(null),
                node.string("terms_of_service_url").orElse(null),
                node.string("status_page_url").orElse(null),
                node.string("headquarters").orElse(null),
                node.stringList("datacenters"));
        Provider.Identity identity = IdentityReader.read(node);
        if (validSlug.isEmpty() || kind.isEmpty() || connection.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Provider(
                validSlug.get(),
                name,
                kind.get(),
                connection.get(),
                unavailableReason(node, enabled, connection.get()),
                links,
                identity));
    }

    /**
     * The connection settings of a provider; empty (with the problems reported) when they are invalid.
     * Anthropic's kind has a default base URL; every other kind is OpenAI-compatible and must name one.
     */
    private Optional<Connection> connection(ConfigNode node, String kind) {
        if (kind.equals("anthropic")) {
            Optional<URI> baseUrl = httpUri(node, node.string("base_url", Connection.ANTHROPIC_BASE_URL));
            return baseUrl.map(url -> new Connection.Anthropic(url, node.string("api_key", "")));
        }
        Optional<URI> baseUrl = node.requiredString("base_url").flatMap(u -> httpUri(node, u));
        String apiKey = node.string("api_key", "");
        MaxTokensField maxTokensField = maxTokensField(node);
        HttpVersion httpVersion = httpVersion(node);
        return baseUrl.map(url -> new Connection.OpenAiCompatible(url, apiKey, maxTokensField, httpVersion));
    }

    /** {@code http_version}: {@code "1.1"} (the default) or {@code "2"}, quoted or not. */
    private static HttpVersion httpVersion(ConfigNode node) {
        Optional<String> text = node.scalarText("http_version");
        Optional<HttpVersion> version = text.flatMap(HttpVersion::parse);
        if (text.isPresent() && version.isEmpty()) {
            node.problem("http_version", "must be \"1.1\" or \"2\"");
        }
        return version.orElse(HttpVersion.HTTP_1_1);
    }

    private static MaxTokensField maxTokensField(ConfigNode node) {
        Optional<String> text = node.string("max_tokens_field");
        Optional<MaxTokensField> field = text.flatMap(MaxTokensField::parse);
        if (text.isPresent() && field.isEmpty()) {
            node.problem("max_tokens_field", "must be as_sent, max_tokens or max_completion_tokens");
        }
        return field.orElse(MaxTokensField.AS_SENT);
    }

    private Optional<String> unavailableReason(ConfigNode node, boolean enabled, Connection connection) {
        if (!enabled) {
            return Optional.of(Provider.DISABLED);
        }
        return switch (connection) {
            case Connection.OpenAiCompatible openAi -> missingKey(node, openAi.apiKey());
            case Connection.Anthropic anthropic -> missingKey(node, anthropic.apiKey());
        };
    }

    /** Why a provider whose {@code api_key} is given but empty cannot be used; empty when the key is fine or absent. */
    private Optional<String> missingKey(ConfigNode node, String apiKey) {
        if (node.has("api_key") && apiKey.isBlank()) {
            List<String> missing = provenance.unsetReferences(node.source(), node.path() + ".api_key");
            return Optional.of(
                    missing.isEmpty() ? "api_key is empty" : "no API key (set " + String.join(", ", missing) + ")");
        }
        return Optional.empty();
    }

    private Optional<Model> readModel(ConfigNode node, Optional<String> id, long defaultCreated) {
        Optional<String> validId = id.filter(
                s -> check(node, "id", MODEL_ID.matcher(s).matches(), "must look like author/slug (or a bare slug)"));
        if (!node.has("context_length")) {
            node.problem("context_length", "is required");
        }
        long context = node.longValue("context_length", 0, 1, Integer.MAX_VALUE);
        String name = node.string("name", id.orElse(""));
        long created = node.epochSeconds("created", defaultCreated);
        String description = node.string("description", "");
        List<String> input = node.has("input_modalities") ? node.stringList("input_modalities") : List.of("text");
        List<String> output = node.has("output_modalities") ? node.stringList("output_modalities") : List.of("text");
        String tokenizer = node.string("tokenizer", "Other");
        @Nullable String instructType = node.string("instruct_type").orElse(null);
        List<String> parameters = node.stringList("supported_parameters");
        List<Endpoint> endpoints = readEndpoints(node, context, parameters);
        if (validId.isEmpty() || context == 0 || endpoints.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Model(
                validId.get(),
                name,
                created,
                description,
                context,
                input,
                output,
                tokenizer,
                instructType,
                parameters,
                endpoints));
    }

    /** @param modelContext the model's context length, 0 when it is missing or invalid */
    private List<Endpoint> readEndpoints(ConfigNode model, long modelContext, List<String> modelParameters) {
        if (!model.has("endpoints")) {
            model.problem("endpoints", "is required: a model needs at least one endpoint");
        } else if (model.isEmptyList("endpoints")) {
            model.problem("endpoints", "must not be empty: a model needs at least one endpoint");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (ConfigNode node : model.items("endpoints")) {
            node.onlyKeys(ENDPOINT_KEYS);
            Optional<Endpoint> endpoint = readEndpoint(node, modelContext, modelParameters);
            endpoint.ifPresent(e -> unique(node, "provider", e.slug(), seen));
            endpoint.ifPresent(endpoints::add);
        }
        return endpoints;
    }

    private Optional<Endpoint> readEndpoint(ConfigNode node, long modelContext, List<String> modelParameters) {
        Optional<String> provider = node.requiredString("provider")
                .map(s -> s.toLowerCase(Locale.ROOT))
                .filter(p -> knownProvider(node, p));
        Optional<String> upstream = node.requiredString("upstream_model");
        Optional<Pricing> pricing = readPricing(node);
        long context = node.longValue("context_length", modelContext, 1, Integer.MAX_VALUE);
        if (modelContext > 0 && context > modelContext) {
            node.problem(
                    "context_length",
                    "must not exceed the model's context_length (" + modelContext
                            + "): a model's context_length is the largest of its endpoints'");
        }
        long maxCompletion = node.longValue("max_completion_tokens", 0, 1, Integer.MAX_VALUE);
        String quantization = node.string("quantization", "unknown");
        List<String> parameters =
                node.has("supported_parameters") ? node.stringList("supported_parameters") : modelParameters;
        String tag = node.string("tag", "");
        check(
                node,
                "tag",
                tag.isEmpty() || TAG.matcher(tag).matches(),
                "must be lowercase letters, digits, '.', '_' or '-'");
        DataPolicy policy = dataPolicy(node, provider.map(providerPolicies::get).orElse(DataPolicy.UNKNOWN));
        if (provider.isEmpty() || upstream.isEmpty() || pricing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(
                provider.get(),
                upstream.get(),
                pricing.get(),
                context,
                maxCompletion,
                quantization,
                parameters,
                tag,
                policy));
    }

    /**
     * {@code data_policy: {training, retains_prompts, zdr}}; what is not stated is taken from
     * {@code fallback} (a provider's policy, or the assumption that it trains and retains).
     */
    private static DataPolicy dataPolicy(ConfigNode node, DataPolicy fallback) {
        if (!node.has("data_policy")) {
            return fallback;
        }
        ConfigNode policy = node.section("data_policy");
        policy.onlyKeys(DATA_POLICY_KEYS);
        boolean zdr = policy.bool("zdr", fallback.zeroDataRetention());
        // a zero-data-retention endpoint keeps nothing, so it neither retains nor trains unless told otherwise
        return new DataPolicy(
                policy.bool("training", !zdr && fallback.training()),
                policy.bool("retains_prompts", !zdr && fallback.retainsPrompts()),
                zdr);
    }

    /** Whether {@code slug} is a usable provider; an undefined one is a problem, an invalid one was reported already. */
    private boolean knownProvider(ConfigNode endpoint, String slug) {
        if (providers.containsKey(slug)) {
            return true;
        }
        if (!invalidProviders.contains(slug)) {
            endpoint.problem("provider", "no provider with slug '" + slug + "' is defined");
        }
        return false;
    }

    private static Optional<Pricing> readPricing(ConfigNode endpoint) {
        if (!endpoint.has("pricing")) {
            endpoint.problem("pricing", "is required (prompt and completion in USD per token, e.g. \"0.0000025\")");
            return Optional.empty();
        }
        Optional<ConfigNode> mapping = endpoint.mapping("pricing");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        return prices(mapping.get());
    }

    private static Optional<Pricing> prices(ConfigNode pricing) {
        pricing.onlyKeys(PRICING_KEYS);
        Optional<BigDecimal> prompt = requiredPrice(pricing, "prompt");
        Optional<BigDecimal> completion = requiredPrice(pricing, "completion");
        BigDecimal request = optionalPrice(pricing, "request");
        BigDecimal cacheRead = optionalPrice(pricing, "input_cache_read");
        BigDecimal cacheWrite = optionalPrice(pricing, "input_cache_write");
        BigDecimal reasoning = optionalPrice(pricing, "internal_reasoning");
        BigDecimal image = optionalPrice(pricing, "image");
        BigDecimal webSearch = optionalPrice(pricing, "web_search");
        if (prompt.isEmpty() || completion.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pricing(
                prompt.get(), completion.get(), request, cacheRead, cacheWrite, reasoning, image, webSearch));
    }

    private static Optional<BigDecimal> requiredPrice(ConfigNode pricing, String key) {
        if (!pricing.has(key)) {
            pricing.problem(key, "is required");
        }
        return pricing.decimal(key);
    }

    private static BigDecimal optionalPrice(ConfigNode pricing, String key) {
        return pricing.decimal(key).orElse(BigDecimal.ZERO);
    }

    private static Optional<URI> httpUri(ConfigNode node, String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                node.problem("base_url", "must be an http:// or https:// URL");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            node.problem("base_url", "is not a valid URL: " + e.getReason());
            return Optional.empty();
        }
    }

    /** Records {@code value} as used at this entry; a second use within the same source is a problem. */
    private static void unique(ConfigNode node, String key, String value, Map<String, String> seen) {
        String first = seen.putIfAbsent(value, node.path());
        if (first != null) {
            node.problem(key, "duplicate " + key + " '" + value + "': already used at " + first);
        }
    }

    private static boolean check(ConfigNode node, String key, boolean ok, String reason) {
        if (!ok) {
            node.problem(key, reason);
        }
        return ok;
    }
}
