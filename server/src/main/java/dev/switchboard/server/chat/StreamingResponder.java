package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.chat.FinishReason;
import dev.switchboard.core.chat.GeneratedText;
import dev.switchboard.core.chat.TokenUsage;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.StreamEvent;
import dev.switchboard.core.upstream.Ticker;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import dev.switchboard.core.upstream.Timeouts;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.server.http.ErrorResponses;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.UnexpectedFailures;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * Relays a stream from the provider to the client as OpenRouter's SSE.
 *
 * <p>Design note. The request's thread opens the upstream stream and reads its first event itself.
 * If that takes longer than one keep-alive interval, {@link KeepAlive} commits the 200 and the SSE
 * headers and sends {@code : OPENROUTER PROCESSING} every interval until the event arrives. A failure
 * before any byte was sent gets its own status (the upstream error's, or 504). A failure after that
 * arrives in-band. From the first event on, the request's thread reads the provider and writes the
 * client one event at a time, flushing each. Nothing is buffered, and a slow client slows the upstream
 * read (backpressure by blocking). The usage the provider reports is held back and sent, with its cost,
 * as exactly one chunk with empty {@code choices} after the finish chunk, then {@code [DONE]}. A failed
 * write means the client left, and the upstream call is aborted.
 */
final class StreamingResponder {
    private static final String KEEP_ALIVE = "OPENROUTER PROCESSING";
    private final TimeoutWatchdog watchdog;
    private final Timeouts timeouts;
    private final Duration keepAliveInterval;
    private final UsageSettlement settlement;
    private final ErrorResponses errors;
    private final ObjectMapper json;
    private final Ticker ticker;

    StreamingResponder(TimeoutWatchdog watchdog, Ticker ticker, Timeouts timeouts, Duration keepAliveInterval,
                       UsageSettlement settlement, ErrorResponses errors, ObjectMapper json) {
        this.watchdog = watchdog;
        this.timeouts = timeouts;
        this.keepAliveInterval = keepAliveInterval;
        this.settlement = settlement;
        this.errors = errors;
        this.json = json;
        this.ticker = ticker;
    }

    void respond(ChatExchange exchange, ProviderAdapter adapter, ServerResponse res) {
        Relay relay = new Relay(exchange, res);
        try (TimeoutWatchdog.Watch ignored = watchdog.watch(exchange.control, timeouts)) {
            KeepAlive keepAlive = KeepAlive.start(ticker, keepAliveInterval, relay::keepAlive,
                    () -> exchange.control.abort(UpstreamFailure.CANCELLED));
            Opened opened;
            try {
                opened = openFirst(exchange, adapter);
            } catch (RuntimeException | Error e) {
                boolean clientPresent = keepAlive.stop();
                GatewayException failure = e instanceof GatewayException known ? known : unexpected(e);
                if (clientPresent) {
                    relay.fail(failure);
                } else {
                    exchange.failed(failure);
                }
                return;
            }
            try (EventStream stream = opened.stream()) {
                if (keepAlive.stop()) {
                    relay.run(opened.first(), stream);
                }
            }
        }
    }

    private record Opened(EventStream stream, StreamEvent first) {
    }

    /** A bug (or an exhausted heap) while opening the stream: logged, and answered as a masked 500. */
    private static GatewayException unexpected(Throwable e) {
        UnexpectedFailures.log("opening a stream", e);
        return ErrorResponses.internal();
    }

    /** Opens the upstream stream and reads its first event, on the request's own thread. */
    private static Opened openFirst(ChatExchange exchange, ProviderAdapter adapter) {
        EventStream stream = adapter.stream(exchange.attempt, exchange.request, exchange.control);
        try {
            return new Opened(stream, stream.next());
        } catch (RuntimeException | Error e) {
            stream.close();
            throw e;
        }
    }

    /** One stream's client side. */
    private final class Relay {
        private final ChatExchange exchange;
        private final ServerResponse res;
        private final ResponseShaper shaper;
        private final GeneratedText text = new GeneratedText();
        private SseWriter sse;
        private Optional<TokenUsage> reported = Optional.empty();

        Relay(ChatExchange exchange, ServerResponse res) {
            this.exchange = exchange;
            this.res = res;
            this.shaper = new ResponseShaper(exchange.generationId, exchange.attempt.model().id(),
                    exchange.attempt.provider().name(), exchange.createdEpochSeconds());
        }

        /** Commits the stream if needed and sends a keep-alive; false when the client is gone. Called by {@link KeepAlive}. */
        boolean keepAlive() {
            try {
                commit();
                sse.comment(KEEP_ALIVE);
                return true;
            } catch (SseWriter.ClientGoneException e) {
                exchange.cancelled = true;
                return false;
            }
        }

        void run(StreamEvent first, EventStream stream) {
            try {
                commit();
                for (StreamEvent event = first; !(event instanceof StreamEvent.End); event = stream.next()) {
                    accept(event);
                }
                settlement.settle(exchange, reported, text);
                sse.data(Json.bytes(json, shaper.usageChunk(exchange.usage, exchange.cost)));
                sse.done();
            } catch (SseWriter.ClientGoneException e) {
                exchange.cancelled = true;
                exchange.control.abort(UpstreamFailure.CANCELLED);
                settlement.settle(exchange, reported, text);
            } catch (UpstreamException e) {
                settlement.settle(exchange, reported, text);
                fail(e);
            } catch (RuntimeException | Error e) {
                // A bug, or the heap exhausted, not the provider's or the client's doing: the client still
                // gets a well-formed end, and the record says what the client got.
                UnexpectedFailures.log("relaying a stream", e);
                exchange.control.abort(UpstreamFailure.CANCELLED);
                fail(ErrorResponses.internal());
                settlement.settle(exchange, reported, text);
            }
        }

        private void accept(StreamEvent event) {
            switch (event) {
                case StreamEvent.Chunk chunk -> relayChunk(chunk);
                case StreamEvent.Usage usage -> reported = Optional.of(usage.usage());
                case StreamEvent.End end -> throw new IllegalStateException("end is handled by the loop");
            }
        }

        private void relayChunk(StreamEvent.Chunk event) {
            ObjectNode chunk = event.chunk();
            if (exchange.upstreamId.isEmpty()) {
                exchange.upstreamId = chunk.path("id").asText("");
            }
            JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
            if (content.isTextual()) {
                text.append(content.textValue());
            }
            if (event.nativeFinishReason() != null) {
                exchange.nativeFinishReason = event.nativeFinishReason();
                exchange.finishReason = FinishReason.normalise(event.nativeFinishReason());
            }
            shaper.shapeChunk(chunk);
            sse.data(Json.bytes(json, chunk));
        }

        /** Reports a failure: with its own status before the stream is committed, in-band after. */
        void fail(GatewayException e) {
            exchange.failed(e);
            if (sse == null) {
                errors.send(res, e);
                return;
            }
            exchange.status = 200;
            exchange.finishReason = "error";
            try {
                sse.data(Json.bytes(json, shaper.errorChunk(errors.errorObject(e))));
                sse.done();
            } catch (SseWriter.ClientGoneException gone) {
                exchange.cancelled = true;
            }
        }

        private void commit() {
            if (sse == null) {
                res.status(200);
                res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                res.header("X-Accel-Buffering", "no");
                sse = new SseWriter(res.outputStream());
            }
        }
    }
}
