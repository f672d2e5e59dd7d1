package dev.switchboard.core.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which field a provider wants the output-token limit in. OpenAI's reasoning models reject the
 * deprecated {@code max_tokens} and take {@code max_completion_tokens}; older OpenAI-compatible
 * servers know only {@code max_tokens}. The adapter renames the client's field to the configured one.
 */
public enum MaxTokensField {
    /** Forward whichever field the client sent, unchanged (the default). */
    AS_SENT,
    /** Send the limit as {@code max_tokens}. */
    MAX_TOKENS,
    /** Send the limit as {@code max_completion_tokens}. */
    MAX_COMPLETION_TOKENS;

    /** The value as written in the configuration: {@code as_sent}, {@code max_tokens} or {@code max_completion_tokens}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose {@link #configName()} is {@code text}, if any. */
    public static Optional<MaxTokensField> parse(String text) {
        return Arrays.stream(values()).filter(v -> v.configName().equals(text)).findFirst();
    }
}
