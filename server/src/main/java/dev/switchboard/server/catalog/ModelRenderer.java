package dev.switchboard.server.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.core.routing.health.EndpointKey;
import dev.switchboard.core.routing.health.HealthSnapshot;
import dev.switchboard.core.routing.health.Percentiles;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders catalog records in OpenRouter's {@code Model} and {@code PublicEndpoint} shapes. A model
 * shows its top endpoint's prices and limits: the cheapest endpoint whose provider is available, or
 * the cheapest of all when none is.
 */
final class ModelRenderer {
    /** Shown for endpoints that do not declare their parameters (every parameter is forwarded to them). */
    static final List<String> STANDARD_PARAMETERS = List.of(
            "max_tokens",
            "temperature",
            "top_p",
            "stop",
            "frequency_penalty",
            "presence_penalty",
            "seed",
            "logit_bias",
            "logprobs",
            "top_logprobs",
            "response_format",
            "tools",
            "tool_choice");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final EndpointHealth health;

    ModelRenderer(EndpointHealth health) {
        this.health = health;
    }

    ObjectNode model(Model model, Catalog catalog) {
        Endpoint top = topEndpoint(model, catalog);
        ObjectNode out = NODES.objectNode();
        out.put("id", model.id());
        out.put("canonical_slug", model.id());
        out.put("hugging_face_id", "");
        out.put("name", model.name());
        out.put("created", model.created());
        out.put("description", model.description());
        out.put("context_length", model.contextLength());
        out.set("architecture", architecture(model));
        out.set("pricing", pricing(top));
        ObjectNode topProvider = out.putObject("top_provider");
        topProvider.put("context_length", top.contextLength());
        putLimit(topProvider, "max_completion_tokens", top.maxCompletion());
        topProvider.put("is_moderated", false);
        out.putNull("per_request_limits");
        out.set("supported_parameters", strings(parameters(model.supportedParameters())));
        out.putNull("supported_voices");
        ObjectNode defaults = out.putObject("default_parameters");
        defaults.putNull("temperature");
        defaults.putNull("top_p");
        defaults.putNull("frequency_penalty");
        out.putNull("expiration_date");
        out.putObject("links").put("details", "/api/v1/models/" + model.id() + "/endpoints");
        return out;
    }

    ObjectNode endpoints(Model model, Catalog catalog) {
        ObjectNode data = NODES.objectNode();
        data.put("id", model.id());
        data.put("name", model.name());
        data.put("created", model.created());
        data.put("description", model.description());
        data.set("architecture", architecture(model));
        ArrayNode endpoints = data.putArray("endpoints");
        for (Endpoint endpoint : model.endpoints()) {
            endpoints.add(endpoint(
                    model, endpoint, catalog.provider(endpoint.providerSlug()).orElseThrow()));
        }
        return data;
    }

    private ObjectNode endpoint(Model model, Endpoint endpoint, Provider provider) {
        ObjectNode out = NODES.objectNode();
        out.put("name", provider.name() + " | " + model.id());
        out.put("model_id", model.id());
        out.put("model_name", model.name());
        out.put("context_length", endpoint.contextLength());
        out.set("pricing", pricing(endpoint));
        out.put("provider_name", provider.name());
        out.put("tag", endpoint.slug());
        out.put("quantization", endpoint.quantization());
        putLimit(out, "max_completion_tokens", endpoint.maxCompletion());
        out.putNull("max_prompt_tokens");
        out.set("supported_parameters", strings(parameters(endpoint.supportedParameters())));
        out.put("status", provider.available() ? 0 : -1);
        HealthSnapshot measured = health.snapshot(new EndpointKey(model.id(), endpoint.slug()));
        putPercent(out, "uptime_last_5m", measured.uptime5m());
        putPercent(out, "uptime_last_30m", measured.uptime30m());
        putPercent(out, "uptime_last_1d", measured.uptime1d());
        putPercentiles(out, "latency_last_30m", measured.latency30m());
        putPercentiles(out, "throughput_last_30m", measured.throughput30m());
        out.put("supports_implicit_caching", endpoint.pricing().inputCacheRead().signum() > 0);
        out.set(
                "supports_tool_choice",
                toolChoice(parameters(endpoint.supportedParameters()).contains("tools")));
        out.put("supports_voice_cloning", false);
        out.put("available", provider.available());
        provider.unavailableReason().ifPresent(r -> out.put("unavailable_reason", r));
        return out;
    }

    private static void putPercent(ObjectNode out, String field, OptionalDouble percent) {
        if (percent.isPresent()) {
            out.put(field, Math.round(percent.getAsDouble() * 100) / 100.0);
        } else {
            out.putNull(field);
        }
    }

    /** Percentiles rounded to 3 decimals: seconds to the millisecond, tokens per second finer than anyone reads. */
    private static void putPercentiles(ObjectNode out, String field, Optional<Percentiles> percentiles) {
        if (percentiles.isEmpty()) {
            out.putNull(field);
            return;
        }
        Percentiles p = percentiles.get();
        ObjectNode node = out.putObject(field);
        node.put("p50", round(p.p50()));
        node.put("p75", round(p.p75()));
        node.put("p90", round(p.p90()));
        node.put("p99", round(p.p99()));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** Which {@code tool_choice} values the endpoint honours; {@code none} always works (tools are then dropped). */
    private static ObjectNode toolChoice(boolean tools) {
        ObjectNode out = NODES.objectNode();
        out.put("auto", tools);
        out.put("function", tools);
        out.put("none", true);
        out.put("required", tools);
        return out;
    }

    static Endpoint topEndpoint(Model model, Catalog catalog) {
        Comparator<Endpoint> byPrice = Comparator.comparing(e -> e.pricing().blended());
        Optional<Endpoint> available = model.endpoints().stream()
                .filter(e -> catalog.provider(e.providerSlug())
                        .map(Provider::available)
                        .orElse(false))
                .min(byPrice);
        return available.orElseGet(() -> model.endpoints().stream().min(byPrice).orElseThrow());
    }

    static List<String> parameters(List<String> declared) {
        return declared.isEmpty() ? STANDARD_PARAMETERS : declared;
    }

    private static ObjectNode architecture(Model model) {
        ObjectNode out = NODES.objectNode();
        out.put("modality", model.modality());
        out.set("input_modalities", strings(model.inputModalities()));
        out.set("output_modalities", strings(model.outputModalities()));
        out.put("tokenizer", model.tokenizer());
        out.put("instruct_type", model.instructType());
        return out;
    }

    private static ObjectNode pricing(Endpoint endpoint) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, String> price : endpoint.pricing().asStrings().entrySet()) {
            out.put(price.getKey(), price.getValue());
        }
        return out;
    }

    private static void putLimit(ObjectNode node, String field, Optional<Long> limit) {
        if (limit.isPresent()) {
            node.put(field, limit.get());
        } else {
            node.putNull(field);
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode out = NODES.arrayNode();
        values.forEach(out::add);
        return out;
    }
}
