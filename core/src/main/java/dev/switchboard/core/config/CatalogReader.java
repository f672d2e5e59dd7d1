package dev.switchboard.core.config;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code providers:} and {@code models:} sections (of the bundled catalog or of the
 * configuration file) into catalog records, merging later sources over earlier ones by slug and id.
 */
final class CatalogReader {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    /** {@code author/slug} as OpenRouter names models, or a bare slug for a local alias. */
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._:~-]*)?");
    private static final Set<String> PROVIDER_KEYS = Set.of("slug", "name", "kind", "base_url", "api_key", "enabled",
            "privacy_policy_url", "terms_of_service_url", "status_page_url", "headquarters", "datacenters");
    private static final Set<String> MODEL_KEYS = Set.of("id", "name", "created", "description", "context_length",
            "input_modalities", "output_modalities", "tokenizer", "instruct_type", "supported_parameters", "endpoints");
    private static final Set<String> ENDPOINT_KEYS = Set.of("provider", "upstream_model", "context_length",
            "max_completion_tokens", "quantization", "supported_parameters", "pricing");
    private static final Set<String> PRICING_KEYS = Set.of("prompt", "completion", "request", "input_cache_read",
            "input_cache_write", "internal_reasoning", "image", "web_search");

    private final Set<String> supportedKinds;
    private final Map<String, List<String>> missingEnv;
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Map<String, Model> models = new LinkedHashMap<>();

    /**
     * @param missingEnv for each {@code source:path} of a string, the environment variables it referenced
     *                   that were unset
     */
    CatalogReader(Set<String> supportedKinds, Map<String, List<String>> missingEnv) {
        this.supportedKinds = supportedKinds;
        this.missingEnv = missingEnv;
    }

    void readProviders(ConfigNode root) {
        for (ConfigNode node : root.items("providers")) {
            node.onlyKeys(PROVIDER_KEYS);
            readProvider(node).ifPresent(p -> providers.put(p.slug(), p));
        }
    }

    void readModels(ConfigNode root) {
        for (ConfigNode node : root.items("models")) {
            node.onlyKeys(MODEL_KEYS);
            readModel(node).ifPresent(m -> models.put(m.id(), m));
        }
    }

    Map<String, Provider> providers() {
        return providers;
    }

    List<Model> models() {
        return new ArrayList<>(models.values());
    }

    private Optional<Provider> readProvider(ConfigNode node) {
        Optional<String> slug = node.requiredString("slug");
        slug.filter(s -> !SLUG.matcher(s).matches())
                .ifPresent(s -> node.problem("slug", "must be lowercase letters, digits, '.', '_' or '-'"));
        Optional<String> kind = node.requiredString("kind");
        kind.filter(k -> !supportedKinds.contains(k)).ifPresent(k -> node.problem("kind",
                "unknown wire format '" + k + "' (supported: " + String.join(", ", supportedKinds) + ")"));
        Optional<URI> baseUrl = node.requiredString("base_url").flatMap(u -> httpUri(node, u));
        if (slug.isEmpty() || kind.isEmpty() || baseUrl.isEmpty()) {
            return Optional.empty();
        }
        String apiKey = node.string("api_key", "");
        Optional<String> unavailable = unavailableReason(node, apiKey);
        Provider.Links links = new Provider.Links(node.string("privacy_policy_url", null),
                node.string("terms_of_service_url", null), node.string("status_page_url", null),
                node.string("headquarters", null), node.stringList("datacenters"));
        return Optional.of(new Provider(slug.get(), node.string("name", slug.get()), kind.get(), baseUrl.get(),
                apiKey, unavailable, links));
    }

    private Optional<String> unavailableReason(ConfigNode node, String apiKey) {
        if (node.has("enabled") && "false".equals(node.string("enabled", "true"))) {
            return Optional.of("disabled in the configuration");
        }
        if (node.has("api_key") && apiKey.isBlank()) {
            List<String> missing = missingEnv.getOrDefault(node.source() + ":" + node.path() + ".api_key", List.of());
            return Optional.of(missing.isEmpty() ? "api_key is empty" : "no API key (set " + String.join(", ", missing) + ")");
        }
        return Optional.empty();
    }

    private Optional<Model> readModel(ConfigNode node) {
        Optional<String> id = node.requiredString("id");
        id.filter(s -> !MODEL_ID.matcher(s).matches()).ifPresent(s -> node.problem("id", "must look like author/slug (or a bare slug)"));
        long context = node.longValue("context_length", 0, 1, Integer.MAX_VALUE);
        if (!node.has("context_length")) {
            node.problem("context_length", "is required");
        }
        List<String> parameters = node.stringList("supported_parameters");
        List<Endpoint> endpoints = new ArrayList<>();
        for (ConfigNode endpointNode : node.items("endpoints")) {
            endpointNode.onlyKeys(ENDPOINT_KEYS);
            readEndpoint(endpointNode, context, parameters).ifPresent(endpoints::add);
        }
        if (!node.has("endpoints")) {
            node.problem("endpoints", "is required: a model needs at least one endpoint");
        }
        if (id.isEmpty() || endpoints.isEmpty()) {
            return Optional.empty();
        }
        List<String> input = node.has("input_modalities") ? node.stringList("input_modalities") : List.of("text");
        List<String> output = node.has("output_modalities") ? node.stringList("output_modalities") : List.of("text");
        return Optional.of(new Model(id.get(), node.string("name", id.get()), node.longValue("created", 0, 0, Long.MAX_VALUE),
                node.string("description", ""), context, input, output, node.string("tokenizer", "Other"),
                node.string("instruct_type", null), parameters, endpoints));
    }

    private Optional<Endpoint> readEndpoint(ConfigNode node, long modelContext, List<String> modelParameters) {
        Optional<String> provider = node.requiredString("provider").map(s -> s.toLowerCase(Locale.ROOT));
        provider.filter(p -> !providers.containsKey(p)).ifPresent(p -> node.problem("provider",
                "no provider with slug '" + p + "' is defined"));
        Optional<String> upstream = node.requiredString("upstream_model");
        Optional<Pricing> pricing = readPricing(node.child("pricing"), node);
        long context = node.longValue("context_length", modelContext, 1, Integer.MAX_VALUE);
        long maxCompletion = node.longValue("max_completion_tokens", 0, 1, Integer.MAX_VALUE);
        if (provider.isEmpty() || upstream.isEmpty() || pricing.isEmpty() || !providers.containsKey(provider.get())) {
            return Optional.empty();
        }
        List<String> parameters = node.has("supported_parameters") ? node.stringList("supported_parameters") : modelParameters;
        return Optional.of(new Endpoint(provider.get(), upstream.get(), pricing.get(), context, maxCompletion,
                node.string("quantization", "unknown"), parameters));
    }

    private static Optional<Pricing> readPricing(ConfigNode pricing, ConfigNode endpoint) {
        if (!endpoint.has("pricing")) {
            endpoint.problem("pricing", "is required (prompt and completion in USD per token, e.g. \"0.0000025\")");
            return Optional.empty();
        }
        pricing.onlyKeys(PRICING_KEYS);
        Optional<BigDecimal> prompt = pricing.decimal("prompt");
        Optional<BigDecimal> completion = pricing.decimal("completion");
        if (!pricing.has("prompt")) {
            pricing.problem("prompt", "is required");
        }
        if (!pricing.has("completion")) {
            pricing.problem("completion", "is required");
        }
        if (prompt.isEmpty() || completion.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pricing(prompt.get(), completion.get(), zeroIfAbsent(pricing, "request"),
                zeroIfAbsent(pricing, "input_cache_read"), zeroIfAbsent(pricing, "input_cache_write"),
                zeroIfAbsent(pricing, "internal_reasoning")));
    }

    private static BigDecimal zeroIfAbsent(ConfigNode pricing, String key) {
        return pricing.decimal(key).orElse(BigDecimal.ZERO);
    }

    private static Optional<URI> httpUri(ConfigNode node, String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                node.problem("base_url", "must be an http:// or https:// URL");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            node.problem("base_url", "is not a valid URL: " + e.getReason());
            return Optional.empty();
        }
    }
}
