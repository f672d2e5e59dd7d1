package dev.switchboard.model.chat;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How much the model should think (OpenRouter's {@code reasoning} object, OpenAI's {@code reasoning_effort}).
 *
 * @param effort    {@code none}, {@code minimal}, {@code low}, {@code medium}, {@code high}, {@code xhigh}
 * @param maxTokens a token budget for reasoning (Anthropic's {@code budget_tokens})
 * @param enabled   reasoning on or off, when said explicitly
 * @param exclude   think, but leave the reasoning out of the answer
 */
public record ReasoningSettings(
        Optional<String> effort,
        OptionalLong maxTokens,
        Optional<Boolean> enabled,
        boolean exclude,
        Extensions extensions) {
    public ReasoningSettings {
        Objects.requireNonNull(effort, "effort");
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(enabled, "enabled");
        Objects.requireNonNull(extensions, "extensions");
    }
}
