package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.response.TokenUsage;
import java.util.Optional;

/** Reads OpenAI's {@code usage} object (and the fields OpenAI-compatible servers add) into token counts. */
final class OpenAiUsage {
    private OpenAiUsage() {}

    static Optional<TokenUsage> parse(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Optional.empty();
        }
        long prompt = nonNegative(usage.path("prompt_tokens"));
        long completion = nonNegative(usage.path("completion_tokens"));
        JsonNode promptDetails = usage.path("prompt_tokens_details");
        long cached = nonNegative(promptDetails.path("cached_tokens"));
        long cacheWrite = nonNegative(promptDetails.path("cache_write_tokens"));
        long reasoning = nonNegative(usage.path("completion_tokens_details").path("reasoning_tokens"));
        return Optional.of(new TokenUsage(
                prompt, completion, Math.min(cached, prompt), cacheWrite, Math.min(reasoning, completion)));
    }

    private static long nonNegative(JsonNode node) {
        return node.canConvertToLong() ? Math.max(0, node.asLong()) : 0;
    }
}
