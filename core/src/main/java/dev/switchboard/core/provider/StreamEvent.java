package dev.switchboard.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.chat.TokenUsage;

/**
 * What a provider adapter yields while streaming, whatever the provider's wire format.
 *
 * <p>{@link Chunk} holds one chat-completion chunk in the OpenAI chunk shape (the canonical stream
 * shape: it is what clients receive), without any {@code usage}; the adapter reports usage separately
 * as {@link Usage}, so the request path can emit exactly one usage chunk with its own cost. {@link End}
 * is the provider's clean end of stream.
 */
public sealed interface StreamEvent {
    /** One chunk to relay. {@code nativeFinishReason} is non-null on the chunk that finishes a choice. */
    record Chunk(ObjectNode chunk, String nativeFinishReason) implements StreamEvent {
    }

    /** The provider's token counts for the whole generation. */
    record Usage(TokenUsage usage) implements StreamEvent {
    }

    /** The provider ended the stream cleanly. */
    record End() implements StreamEvent {
    }

    End END = new End();
}
