package dev.switchboard.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.chat.TokenUsage;

import java.util.Optional;

/**
 * A whole non-streaming completion in the OpenAI {@code chat.completion} shape (the canonical shape),
 * without {@code usage}; {@code usage} holds the provider's counts when it reported them.
 */
public record Completion(ObjectNode body, Optional<TokenUsage> usage, String nativeFinishReason) {
}
