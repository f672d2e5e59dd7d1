package dev.switchboard.model.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * A prompt-cache breakpoint on a content part, a tool or the system prompt (Anthropic's
 * {@code cache_control}, which OpenRouter's chat API accepts on parts too).
 *
 * @param type {@code ephemeral}
 * @param ttl  e.g. {@code 5m}, {@code 1h}
 */
public record CacheControl(String type, Optional<String> ttl) {
    public CacheControl {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ttl, "ttl");
    }
}
