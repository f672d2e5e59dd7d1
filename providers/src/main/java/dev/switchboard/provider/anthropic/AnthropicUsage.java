package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.response.TokenUsage;

/**
 * Anthropic's {@code usage} in the canonical convention. Anthropic's {@code input_tokens} leaves out the
 * cached tokens, so the prompt is {@code input_tokens + cache_creation_input_tokens +
 * cache_read_input_tokens}; cache reads and writes are kept apart for billing; {@code output_tokens}
 * already includes thinking, whose share is {@code output_tokens_details.thinking_tokens} when given.
 *
 * <p>In a stream the counts arrive in pieces: {@code message_start} has the input side, each
 * {@code message_delta} cumulative counts (output, and in the current API the input side again). A
 * value object: {@link #merge} keeps every count the newer object has and the older one's others.
 */
record AnthropicUsage(long input, long cacheWrite, long cacheRead, long output, long thinking) {
    static final AnthropicUsage NONE = new AnthropicUsage(0, 0, 0, 0, 0);

    /** {@code usage}'s counts over {@code base}'s; {@code base} unchanged when {@code usage} is not an object. */
    static AnthropicUsage merge(AnthropicUsage base, JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return base;
        }
        return new AnthropicUsage(
                count(usage.get("input_tokens"), base.input),
                count(usage.get("cache_creation_input_tokens"), base.cacheWrite),
                count(usage.get("cache_read_input_tokens"), base.cacheRead),
                count(usage.get("output_tokens"), base.output),
                count(usage.path("output_tokens_details").get("thinking_tokens"), base.thinking));
    }

    private static long count(JsonNode value, long otherwise) {
        return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : otherwise;
    }

    TokenUsage canonical() {
        long prompt = input + cacheWrite + cacheRead;
        return new TokenUsage(prompt, output, cacheRead, cacheWrite, Math.min(thinking, output));
    }
}
