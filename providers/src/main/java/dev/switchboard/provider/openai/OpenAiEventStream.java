package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.StreamEvent;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.provider.sse.SseReader;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Canonical events from an OpenAI chat-completions SSE stream. A chunk that carries {@code usage}
 * yields a {@link StreamEvent.Usage} (and its choices, if any, as a chunk without usage); a chunk
 * with an {@code error} object is the provider's in-band failure; {@code [DONE]} ends the stream.
 * A stream that ends without {@code [DONE]} is accepted as finished only when a finish reason was seen;
 * otherwise it broke.
 */
final class OpenAiEventStream implements EventStream {
    private final UpstreamHttp.Response response;
    private final SseReader reader;
    private final ObjectMapper json;
    private final CallControl control;
    private final String providerName;
    private final ArrayDeque<StreamEvent> pending = new ArrayDeque<>(2);
    private boolean finishSeen;
    private boolean ended;

    OpenAiEventStream(UpstreamHttp.Response response, ObjectMapper json, CallControl control, String providerName,
                      int maxEventBytes) {
        this.response = response;
        this.reader = new SseReader(response.body(), maxEventBytes);
        this.json = json;
        this.control = control;
        this.providerName = providerName;
    }

    @Override
    public StreamEvent next() {
        while (pending.isEmpty()) {
            if (ended) {
                return StreamEvent.END;
            }
            readEvent();
        }
        return pending.poll();
    }

    private void readEvent() {
        SseReader.Payload payload;
        try {
            payload = reader.next();
        } catch (SseReader.EventTooLargeException e) {
            throw malformed(providerName + " sent a stream event larger than the gateway accepts (" + e.limit()
                    + " bytes; upstream.max_event_bytes)", UpstreamHttp.rawExcerpt(e.head(), e.head().length).orElse(null));
        } catch (IOException | RuntimeException e) {
            throw UpstreamHttp.classify(e, control, providerName);
        }
        if (payload == null) {
            if (!finishSeen) {
                throw malformed("The stream from " + providerName + " ended before the generation finished", null);
            }
            ended = true;
            return;
        }
        if (payload.is("[DONE]")) {
            ended = true;
            return;
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(payload.bytes(), 0, payload.length());
        } catch (IOException e) {
            throw malformed(providerName + " sent a chunk that is not JSON", raw(payload));
        }
        if (!(chunk instanceof ObjectNode object)) {
            throw malformed(providerName + " sent a chunk that is not a JSON object", raw(payload));
        }
        accept(object, payload);
    }

    private void accept(ObjectNode chunk, SseReader.Payload payload) {
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            throw OpenAiErrors.inBand(error, providerName, raw(payload));
        }
        JsonNode usage = chunk.remove("usage");
        JsonNode choices = chunk.get("choices");
        if (choices != null && choices.isArray() && !choices.isEmpty()) {
            String finish = choices.get(0).path("finish_reason").textValue();
            finishSeen |= finish != null;
            pending.add(new StreamEvent.Chunk(chunk, finish));
        }
        OpenAiUsage.parse(usage).ifPresent(u -> pending.add(new StreamEvent.Usage(u)));
    }

    private static String raw(SseReader.Payload payload) {
        return UpstreamHttp.rawExcerpt(payload.bytes(), payload.length()).orElse(null);
    }

    private UpstreamException malformed(String message, String raw) {
        return new UpstreamException(UpstreamFailure.MALFORMED, providerName, 0, message, raw, null);
    }

    @Override
    public void close() {
        response.close();
    }
}
