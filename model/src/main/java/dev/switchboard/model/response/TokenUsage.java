package dev.switchboard.model.response;

/**
 * Token counts of one generation, as the provider reported them (native tokenizer), in OpenAI's
 * convention whatever the provider's: prompt tokens include cached ones (read or written), completion
 * tokens include reasoning, and the total is their sum.
 *
 * @param prompt       input tokens, cached ones included
 * @param completion   output tokens, reasoning included
 * @param cachedPrompt input tokens read from the provider's cache
 * @param cacheWrite   input tokens written to the provider's cache
 * @param reasoning    output tokens spent on reasoning
 */
public record TokenUsage(long prompt, long completion, long cachedPrompt, long cacheWrite, long reasoning) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

    public TokenUsage {
        if (prompt < 0 || completion < 0 || cachedPrompt < 0 || cacheWrite < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts are never negative");
        }
    }

    public long total() {
        return prompt + completion;
    }
}
