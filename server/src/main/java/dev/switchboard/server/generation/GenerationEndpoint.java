package dev.switchboard.server.generation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.ProviderResponse;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /generation?id=gen-…}: the metadata of one request in OpenRouter's {@code GenerationResponse}
 * shape. A key sees only its own generations (another key's id answers 404, as an unknown one does);
 * a management key sees all. Besides OpenRouter's fields it reports {@code time_to_first_token} (ms),
 * {@code app_title}, {@code app_categories}, {@code status} and {@code usage_estimated}.
 * {@code upstream_inference_cost} is null unless the request was BYOK; {@code cache_discount} is null
 * unless some prompt tokens were billed at a cache price.
 */
public final class GenerationEndpoint {
    private final KeyRegistry keys;
    private final GenerationLog generations;
    private final ObjectMapper json;

    public GenerationEndpoint(KeyRegistry keys, GenerationLog generations, ObjectMapper json) {
        this.keys = keys;
        this.generations = generations;
        this.json = json;
    }

    /** Registers the generation API's route. */
    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/generation", this::get);
    }

    public void get(ServerRequest req, ServerResponse res) {
        ApiKey caller =
                keys.authenticate(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        String id = req.query()
                .first("id")
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new GatewayException(
                        ErrorType.INVALID_REQUEST, "Query parameter `id` is required", Map.of("param", "id")));
        GenerationRecord record = generations
                .find(id)
                .filter(r -> caller.management() || r.keyHash().equals(caller.hash()))
                .orElseThrow(() -> GatewayException.notFound("Generation " + id + " not found"));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("data", render(record));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }

    private static ObjectNode render(GenerationRecord r) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("id", r.id());
        d.putNull("request_id");
        d.putNull("session_id");
        d.put("created_at", r.createdAt().toString());
        d.put("model", r.model());
        d.putNull("router");
        d.put("provider_name", r.providerName());
        d.put("api_type", "completions");
        d.putNull("app_id");
        putOptional(d, "http_referer", r.httpReferer());
        d.put("origin", r.httpReferer().orElse(""));
        d.putNull("user_agent");
        putOptional(d, "external_user", r.user());
        d.put("preset_id", r.presetId().orElse(null));
        d.put("workspace_id", r.workspaceId());
        d.put("data_region", "global");
        d.put("streamed", r.streamed());
        d.put("cancelled", r.cancelled());
        d.put("is_byok", r.byok());
        d.put("finish_reason", r.finishReason());
        d.put("native_finish_reason", r.nativeFinishReason());
        d.put("tokens_prompt", r.tokensPrompt());
        d.put("tokens_completion", r.tokensCompletion());
        d.put("native_tokens_prompt", r.tokensPrompt());
        d.put("native_tokens_completion", r.tokensCompletion());
        d.put("native_tokens_reasoning", r.tokensReasoning());
        d.put("native_tokens_cached", r.tokensCached());
        d.put("native_tokens_completion_images", 0);
        d.put("num_media_prompt", 0);
        d.put("num_media_completion", 0);
        d.put("num_input_audio_prompt", 0);
        d.put("num_search_results", 0);
        d.put("num_fetches", 0);
        d.putNull("web_search_engine");
        Json.putMoney(d, "total_cost", r.cost());
        Json.putMoney(d, "usage", r.cost());
        putMoney(d, "upstream_inference_cost", r.upstreamInferenceCost());
        putMoney(d, "cache_discount", r.cacheDiscount());
        d.put("latency", r.latencyMs());
        d.put("generation_time", r.generationMs());
        d.put("moderation_latency", 0);
        d.put("upstream_id", r.upstreamId().isEmpty() ? null : r.upstreamId());
        d.putNull("service_tier");
        d.putNull("response_cache_source_id");
        providerResponses(d.putArray("provider_responses"), r);
        if (r.ttftMs() >= 0) {
            d.put("time_to_first_token", r.ttftMs());
        } else {
            d.putNull("time_to_first_token");
        }
        putOptional(d, "app_title", r.appTitle());
        r.appCategories().forEach(d.putArray("app_categories")::add);
        d.put("provider_slug", r.providerSlug());
        d.put("status", r.status());
        putOptional(d, "error_type", r.errorType());
        d.put("usage_estimated", r.usageEstimated());
        return d;
    }

    /**
     * Every upstream attempt, in order, as OpenRouter lists them, with why each unsuccessful one was left
     * ({@code error_type} and the finer {@code left_because}, additions of ours). {@code endpoint_id} is {@code <provider slug>:<model>}. A record stored before attempts were kept lists its one
     * provider.
     */
    private static void providerResponses(ArrayNode out, GenerationRecord r) {
        if (r.attempts().isEmpty()) {
            if (!r.providerSlug().isEmpty()) {
                providerResponse(
                        out,
                        new ProviderResponse(
                                r.providerSlug(),
                                r.providerName(),
                                r.model(),
                                r.upstreamId().isEmpty() ? Optional.empty() : Optional.of(r.upstreamId()),
                                r.status(),
                                r.latencyMs(),
                                r.errorType(),
                                true));
            }
            return;
        }
        r.attempts().forEach(attempt -> providerResponse(out, attempt));
    }

    private static void providerResponse(ArrayNode out, ProviderResponse attempt) {
        ObjectNode entry = out.addObject();
        attempt.upstreamId().ifPresent(id -> entry.put("id", id));
        entry.put("endpoint_id", attempt.providerSlug() + ":" + attempt.model());
        entry.put("model_permaslug", attempt.model());
        // provider_name here is an enumeration of OpenRouter's own providers in its schema; ours are named by
        // endpoint_id (provider slug and model), and the top-level provider_name names the one that answered
        entry.put("status", attempt.status());
        entry.put("latency", attempt.latencyMs());
        entry.put("is_byok", attempt.byok());
        attempt.errorType().ifPresent(type -> entry.put("error_type", type));
        attempt.leftBecause().ifPresent(reason -> entry.put("left_because", reason));
    }

    private static void putMoney(ObjectNode node, String field, Optional<BigDecimal> amount) {
        if (amount.isPresent()) {
            Json.putMoney(node, field, amount.get());
        } else {
            node.putNull(field);
        }
    }

    private static void putOptional(ObjectNode node, String field, Optional<String> value) {
        if (value.isPresent()) {
            node.put(field, value.get());
        } else {
            node.putNull(field);
        }
    }
}
