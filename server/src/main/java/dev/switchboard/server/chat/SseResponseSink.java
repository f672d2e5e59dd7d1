package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.Settlement;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.pipeline.ClientGoneException;
import dev.switchboard.core.pipeline.ResponseSink;
import dev.switchboard.core.pipeline.RouterMetadata;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.Ticker;
import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.server.http.ErrorResponses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A streamed chat completion over HTTP: the connection's side of {@link ChatStreamRenderer}.
 *
 * <p>Design note. While the request waits for its first content, {@link KeepAlive} commits the 200 and
 * the SSE headers after one interval and sends {@code : OPENROUTER PROCESSING} every interval; a failure
 * before any byte was sent still gets its own status. At commit the keep-alives stop and the renderer
 * takes the answering attempt's provider and model; from then on each event is written as it comes,
 * nothing buffered, and a slow client slows the upstream read (backpressure by blocking). A failure after
 * the stream started arrives in-band. A failed write means the client left ({@link ClientGoneException}).
 */
final class SseResponseSink implements ResponseSink {
    private static final String KEEP_ALIVE_COMMENT = "OPENROUTER PROCESSING";
    private final ServerResponse res;
    private final ErrorResponses errors;
    private final ObjectMapper json;
    private final Ticker ticker;
    private final Duration keepAliveInterval;
    private final String generationId;
    private final long created;
    private final String requestedModel;
    private final boolean wantsMetadata;
    private @Nullable ObjectNode metadata;
    private @Nullable KeepAlive keepAlive;
    private @Nullable SseWriter sse;
    private @Nullable ChatStreamRenderer renderer;

    SseResponseSink(
            ServerResponse res,
            ErrorResponses errors,
            ObjectMapper json,
            Ticker ticker,
            Duration keepAliveInterval,
            String generationId,
            long created,
            String requestedModel,
            boolean wantsMetadata) {
        this.wantsMetadata = wantsMetadata;
        this.res = res;
        this.errors = errors;
        this.json = json;
        this.ticker = ticker;
        this.keepAliveInterval = keepAliveInterval;
        this.generationId = generationId;
        this.created = created;
        this.requestedModel = requestedModel;
    }

    @Override
    public WireFormat wireFormat() {
        return WireFormat.OPENAI_CHAT;
    }

    @Override
    public void open(Runnable clientGone) {
        keepAlive = KeepAlive.start(ticker, keepAliveInterval, this::sendKeepAlive, clientGone);
    }

    /** One keep-alive comment, committing the stream first; false when the client is gone. Called by {@link KeepAlive}. */
    private boolean sendKeepAlive() {
        try {
            startStream();
            sse().comment(KEEP_ALIVE_COMMENT);
            return true;
        } catch (ClientGoneException e) {
            return false;
        }
    }

    @Override
    public void commit(Attempt attempt, boolean relayNative) {
        stopKeepAlive();
        startStream().commit(attempt.model().id(), attempt.provider().name(), relayNative);
    }

    @Override
    public void event(StreamEvent event) {
        renderer().event(event);
    }

    @Override
    public void finish(Settlement settlement) {
        renderer().finish(settlement.usage(), settlement.cost());
    }

    @Override
    public void complete(Completion completion, Settlement settlement) {
        throw new IllegalStateException("a streamed response gets events, not a whole completion");
    }

    @Override
    public void fail(GatewayException error) {
        stopKeepAlive();
        if (renderer == null) {
            errors.send(res, error, Optional.ofNullable(metadata));
            return;
        }
        renderer.fail(errors.errorObject(error), requestedModel);
    }

    @Override
    public boolean wantsMetadata() {
        return wantsMetadata;
    }

    /** Goes on the last chunk before {@code [DONE]}, or on the error body when the stream never began. */
    @Override
    public void metadata(RouterMetadata routing) {
        ObjectNode rendered = RouterMetadataJson.render(routing);
        metadata = rendered;
        if (renderer != null) {
            renderer.attachMetadata(rendered);
        }
    }

    private void stopKeepAlive() {
        if (keepAlive != null && !keepAlive.stop()) {
            keepAlive = null;
            throw new ClientGoneException(null);
        }
        keepAlive = null;
    }

    /** Sends the status line and headers on the first call; the stream's renderer. */
    private ChatStreamRenderer startStream() {
        ChatStreamRenderer started = renderer;
        if (started == null) {
            res.status(200);
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            res.header("X-Accel-Buffering", "no");
            started = new ChatStreamRenderer(sse(), json, generationId, created);
            renderer = started;
        }
        return started;
    }

    private SseWriter sse() {
        if (sse == null) {
            sse = new SseWriter(res.outputStream());
        }
        return sse;
    }

    /** The renderer of a stream already started; the pipeline commits before it sends events. */
    private ChatStreamRenderer renderer() {
        if (renderer == null) {
            throw new IllegalStateException("stream events before the response was committed");
        }
        return renderer;
    }
}
