package dev.switchboard.core.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A validated chat-completions request in the canonical form.
 *
 * <p>The fields routing and accounting need are typed; {@code body} is the client's JSON exactly as
 * sent (unknown fields included), which adapters translate from. Adapters must not mutate it; they
 * copy what they change. {@link ChatRequestParser} is the only producer.
 *
 * @param model     the model id the client asked for
 * @param stream    whether the client wants server-sent events
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}, if either was sent
 */
public record ChatRequest(String model, boolean stream, OptionalLong maxTokens, ProviderPreferences provider,
                          Attribution attribution, ObjectNode body) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(attribution, "attribution");
        Objects.requireNonNull(body, "body");
    }
}
