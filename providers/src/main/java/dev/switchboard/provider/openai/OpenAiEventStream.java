package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.provider.sse.SseReader;
import java.io.IOException;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Canonical events from an OpenAI chat-completions SSE stream. The first chunk yields {@link
 * StreamEvent.Started} with the provider's id; each chunk's choices are decoded by {@link OpenAiDecoder};
 * a chunk that carries {@code usage} yields {@link StreamEvent.UsageReported}; a chunk with an
 * {@code error} object is the provider's in-band failure; {@code [DONE]} ends the stream. When asked to
 * relay natively, each chunk with choices also yields itself, without its usage, as {@link
 * StreamEvent.Native} after the events decoded from it. A stream that ends without {@code [DONE]} is
 * accepted as finished only when a finish reason was seen; otherwise it broke.
 */
public final class OpenAiEventStream implements EventStream {
    private final AutoCloseable response;
    private final SseReader reader;
    private final ObjectMapper json;
    private final CallControl control;
    private final String providerName;
    private final boolean relayNative;
    private final ArrayDeque<StreamEvent> pending = new ArrayDeque<>(4);
    private boolean started;
    private boolean finishSeen;
    private boolean ended;

    OpenAiEventStream(
            UpstreamHttp.Response response,
            ObjectMapper json,
            CallControl control,
            String providerName,
            int maxEventBytes,
            boolean relayNative) {
        this(response.body(), response, json, control, providerName, maxEventBytes, relayNative);
    }

    private OpenAiEventStream(
            java.io.InputStream body,
            AutoCloseable response,
            ObjectMapper json,
            CallControl control,
            String providerName,
            int maxEventBytes,
            boolean relayNative) {
        this.response = response;
        this.reader = new SseReader(body, maxEventBytes);
        this.json = json;
        this.control = control;
        this.providerName = providerName;
        this.relayNative = relayNative;
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
            throw malformed(
                    providerName + " sent a stream event larger than the gateway accepts (" + e.limit()
                            + " bytes; upstream.max_event_bytes)",
                    UpstreamHttp.rawExcerpt(e.head(), e.head().length).orElse(null));
        } catch (IOException | CallControl.AbortedException e) {
            // the connection or its bytes failed, or the call was aborted; anything else is a bug of ours
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
        if (!started) {
            started = true;
            pending.add(new StreamEvent.Started(OpenAiJson.text(chunk, "id"), OpenAiJson.text(chunk, "model")));
        }
        JsonNode usage = chunk.remove("usage");
        if (OpenAiDecoder.hasChoices(chunk)) {
            OpenAiDecoder.choices(chunk.get("choices"), "delta", this::add);
            if (relayNative) {
                pending.add(new StreamEvent.Native(WireFormat.OPENAI_CHAT, chunk));
            }
        }
        OpenAiUsage.parse(usage).ifPresent(u -> pending.add(new StreamEvent.UsageReported(u)));
    }

    private void add(StreamEvent event) {
        finishSeen |= event instanceof StreamEvent.Finished;
        pending.add(event);
    }

    private static @Nullable String raw(SseReader.Payload payload) {
        return UpstreamHttp.rawExcerpt(payload.bytes(), payload.length()).orElse(null);
    }

    private UpstreamException malformed(String message, @Nullable String raw) {
        return new UpstreamException(UpstreamFailure.MALFORMED, providerName, 0, message, raw, null);
    }

    /**
     * The events of an OpenAI SSE body that is not an HTTP response of the gateway's own client (a
     * benchmark's bytes, say); closing the stream closes {@code body}.
     */
    public static OpenAiEventStream decoding(
            java.io.InputStream body,
            ObjectMapper json,
            CallControl control,
            String providerName,
            int maxEventBytes,
            boolean relayNative) {
        return new OpenAiEventStream(
                UpstreamHttp.controlled(body, control), body, json, control, providerName, maxEventBytes, relayNative);
    }

    @Override
    public void close() {
        try {
            response.close();
        } catch (Exception e) {
            // closing abandons the upstream connection; there is nothing left to do with it
        }
    }
}
