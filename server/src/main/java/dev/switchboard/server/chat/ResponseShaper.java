package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.Cost;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.TokenUsage;
import dev.switchboard.server.http.Json;

/**
 * Puts canonical chunks and completions into OpenRouter's shape: the gateway's generation id, the
 * served model's id, the provider's display name, one {@code created} time for the whole response (when
 * the gateway received the request; a provider's own clock would differ from chunk to chunk of ours),
 * normalised {@code finish_reason} with the native one beside it, and the {@code usage} object with its
 * cost: {@code cost} is what credits were charged (for a request served with the workspace's own key, the
 * BYOK fee, and then {@code is_byok}), {@code cost_details.upstream_inference_cost} the inference at list
 * price. Mutates the tree it is given (each tree is owned by one request).
 */
public final class ResponseShaper {
    private final String generationId;
    private final String model;
    private final String providerName;
    private final long created;

    /** @param created the response's {@code created}, Unix seconds */
    public ResponseShaper(String generationId, String model, String providerName, long created) {
        this.generationId = generationId;
        this.model = model;
        this.providerName = providerName;
        this.created = created;
    }

    /** Rewrites a stream chunk in place. */
    public void shapeChunk(ObjectNode chunk) {
        identify(chunk, "chat.completion.chunk");
        JsonNode fingerprint = chunk.get("system_fingerprint");
        if (fingerprint != null && fingerprint.isNull()) {
            chunk.remove("system_fingerprint"); // a chunk may omit it, but must not send null
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice instanceof ObjectNode object) {
                normaliseFinish(object);
            }
        }
    }

    /** Rewrites a whole completion in place and adds its usage. */
    public void shapeCompletion(ObjectNode body, TokenUsage usage, Cost cost) {
        identify(body, "chat.completion");
        if (!body.has("system_fingerprint")) {
            body.putNull("system_fingerprint");
        }
        for (JsonNode choice : body.path("choices")) {
            if (choice instanceof ObjectNode object) {
                normaliseFinish(object);
            }
        }
        body.set("usage", usage(usage, cost));
    }

    /** The chunk that carries the usage: empty {@code choices}, after the finish chunk. */
    public ObjectNode usageChunk(TokenUsage usage, Cost cost) {
        ObjectNode chunk = newChunk();
        chunk.putArray("choices");
        chunk.set("usage", usage(usage, cost));
        return chunk;
    }

    /** An in-band error chunk: the {@code error} object beside a choice finished with {@code error}. */
    public ObjectNode errorChunk(ObjectNode error) {
        ObjectNode chunk = newChunk();
        chunk.set("error", error);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("content", "");
        choice.put("finish_reason", "error");
        choice.putNull("native_finish_reason");
        return chunk;
    }

    /** A chunk the gateway makes itself, with the stream's identity. */
    private ObjectNode newChunk() {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode();
        identify(chunk, "chat.completion.chunk");
        return chunk;
    }

    static ObjectNode usage(TokenUsage usage, Cost cost) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("prompt_tokens", usage.prompt());
        out.put("completion_tokens", usage.completion());
        out.put("total_tokens", usage.total());
        Json.putMoney(out, "cost", cost.total());
        out.put("is_byok", cost.byok());
        ObjectNode promptDetails = out.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", usage.cachedPrompt());
        promptDetails.put("cache_write_tokens", usage.cacheWrite());
        promptDetails.put("audio_tokens", 0);
        ObjectNode costDetails = out.putObject("cost_details");
        Json.putMoney(costDetails, "upstream_inference_cost", cost.upstreamInference());
        Json.putMoney(costDetails, "upstream_inference_prompt_cost", cost.prompt());
        Json.putMoney(costDetails, "upstream_inference_completions_cost", cost.completion());
        ObjectNode completionDetails = out.putObject("completion_tokens_details");
        completionDetails.put("reasoning_tokens", usage.reasoning());
        completionDetails.put("image_tokens", 0);
        completionDetails.put("audio_tokens", 0);
        return out;
    }

    private void identify(ObjectNode node, String object) {
        node.put("id", generationId);
        node.put("provider", providerName);
        node.put("model", model);
        node.put("object", object);
        node.put("created", created);
    }

    private static void normaliseFinish(ObjectNode choice) {
        JsonNode finish = choice.get("finish_reason");
        if (finish == null || finish.isNull()) {
            choice.putNull("finish_reason");
            choice.putNull("native_finish_reason");
            return;
        }
        String nativeReason = finish.asText();
        choice.put("finish_reason", FinishReason.normalise(nativeReason).wireName());
        choice.put("native_finish_reason", nativeReason);
    }
}
