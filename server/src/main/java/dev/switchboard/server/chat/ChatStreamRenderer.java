package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.Cost;
import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.model.response.TokenUsage;
import dev.switchboard.provider.openai.OpenAiAnswerWriter;
import dev.switchboard.server.http.Json;
import org.jspecify.annotations.Nullable;

/**
 * Writes a chat-completion stream in OpenRouter's SSE format, event by event, flushing each: the
 * provider's own chunk when it speaks OpenAI's format (edited by {@link ResponseShaper}), else a chunk
 * written from the canonical event ({@link OpenAiAnswerWriter}); then the one usage chunk with its cost,
 * an in-band error chunk when the stream failed, and {@code [DONE]}. Not thread-safe: one renderer per
 * response, used by one thread at a time.
 */
public final class ChatStreamRenderer {
    private final SseWriter sse;
    private final ObjectMapper json;
    private final String generationId;
    private final long created;
    private final OpenAiAnswerWriter writer = new OpenAiAnswerWriter();
    private @Nullable ResponseShaper shaper;
    private boolean relayNative;
    private @Nullable ObjectNode metadata;

    /** @param created the response's {@code created}, Unix seconds */
    public ChatStreamRenderer(SseWriter sse, ObjectMapper json, String generationId, long created) {
        this.sse = sse;
        this.json = json;
        this.generationId = generationId;
        this.created = created;
    }

    /**
     * The stream belongs to this model and provider from here on.
     *
     * @param relayNative whether native chunks follow the events, to be sent instead of them
     */
    public void commit(String model, String providerName, boolean relayNative) {
        this.shaper = new ResponseShaper(generationId, model, providerName, created);
        this.relayNative = relayNative;
    }

    /** Writes what a client sees of {@code event}: nothing for events that have no chunk of their own. */
    public void event(StreamEvent event) {
        if (relayNative) {
            if (event instanceof StreamEvent.Native(WireFormat format, Object chunk)
                    && format.equals(WireFormat.OPENAI_CHAT)
                    && chunk instanceof ObjectNode node) {
                send(node);
            }
            return;
        }
        writer.chunk(event).ifPresent(this::send);
    }

    private void send(ObjectNode chunk) {
        shaper().shapeChunk(chunk);
        sse.data(Json.bytes(json, chunk));
    }

    private ResponseShaper shaper() {
        if (shaper == null) {
            throw new IllegalStateException("a chunk before the response was committed");
        }
        return shaper;
    }

    /** {@code openrouter_metadata} for the last chunk before {@code [DONE]}, when the client asked for it. */
    public void attachMetadata(ObjectNode metadata) {
        this.metadata = metadata;
    }

    /** The one usage chunk, after the finish, and {@code [DONE]}. */
    public void finish(TokenUsage usage, Cost cost) {
        sse.data(Json.bytes(json, withMetadata(shaper().usageChunk(usage, cost))));
        sse.done();
    }

    private ObjectNode withMetadata(ObjectNode chunk) {
        if (metadata != null) {
            chunk.set("openrouter_metadata", metadata);
        }
        return chunk;
    }

    /**
     * An in-band error chunk and {@code [DONE]}. Before any commit (the stream was opened by keep-alives
     * and no attempt answered), the chunk names {@code requestedModel} and no provider.
     */
    public void fail(ObjectNode error, String requestedModel) {
        ResponseShaper shape = shaper != null ? shaper : new ResponseShaper(generationId, requestedModel, "", created);
        sse.data(Json.bytes(json, withMetadata(shape.errorChunk(error))));
        sse.done();
    }
}
