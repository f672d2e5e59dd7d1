package dev.switchboard.simulator;

import dev.switchboard.simulator.SimulatorStats.StreamOutcome;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Streams a Messages answer's events ({@link AnthropicEncoder#stream}), paced like the OpenAI stream
 * (one token-carrying delta per {@code 1/tokens_per_second}), and acts out the mid-stream faults after
 * {@code fault_after_tokens} token deltas: {@code reset_mid_stream} and {@code stall_mid_stream} as on
 * the OpenAI side, {@code malformed_chunk} as a delta whose data is not JSON, and the Anthropic-only
 * {@code stream_error} control as Anthropic's in-stream {@code error} event, after which the stream
 * ends without {@code message_stop}.
 *
 * <p>Thread-safe; each call runs on its request's virtual thread.
 */
final class AnthropicStreamResponder {
    static final byte[] MALFORMED_EVENT =
            "event: content_block_delta\ndata: {this is not json\n\n".getBytes(StandardCharsets.US_ASCII);

    private final SimulatorStats stats;
    private final StopSignal stop;

    AnthropicStreamResponder(SimulatorStats stats, StopSignal stop) {
        this.stats = stats;
        this.stop = stop;
    }

    void respond(
            List<AnthropicEncoder.Event> events,
            RequestControls controls,
            Optional<AnthropicError> streamError,
            String requestId,
            ServerResponse res) {
        stats.recordStreamStarted();
        StreamOutcome outcome = StreamOutcome.DROPPED;
        try {
            stop.sleep(controls.timeToFirstToken());
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            EventStreamWriter out = new EventStreamWriter(res.outputStream());
            stream(events, controls, streamError, requestId, out);
            outcome = StreamOutcome.COMPLETED;
        } catch (ClientDisconnected e) {
            outcome = StreamOutcome.ABORTED_BY_CLIENT;
            throw new CloseConnectionException("client disconnected");
        } finally {
            stats.recordStreamEnded(outcome);
        }
    }

    private void stream(
            List<AnthropicEncoder.Event> events,
            RequestControls controls,
            Optional<AnthropicError> streamError,
            String requestId,
            EventStreamWriter out) {
        boolean faulting = controls.fault().midStream() || streamError.isPresent();
        long interval = controls.tokensPerSecond() == 0 ? 0 : 1_000_000_000L / controls.tokensPerSecond();
        long next = System.nanoTime();
        int tokens = 0;
        for (AnthropicEncoder.Event event : events) {
            boolean due = event.token()
                    ? tokens == controls.faultAfterTokens()
                    : (event.name().equals("message_delta") && tokens <= controls.faultAfterTokens());
            if (faulting && due) {
                faulting = false;
                if (streamError.isPresent()) {
                    out.raw(AnthropicEncoder.error(streamError.get(), requestId).frame());
                    return;
                }
                actOut(controls, out);
                next = System.nanoTime();
            }
            if (event.token()) {
                if (interval > 0 && tokens > 0) {
                    next += interval;
                    stop.sleepUntil(next);
                }
                tokens++;
            }
            out.raw(event.frame());
        }
    }

    private void actOut(RequestControls controls, EventStreamWriter out) {
        switch (controls.fault()) {
            case RESET_MID_STREAM -> throw new CloseConnectionException("simulated reset mid-stream");
            case MALFORMED_CHUNK -> out.raw(MALFORMED_EVENT);
            case STALL_MID_STREAM -> stop.sleep(controls.hang());
            case NONE, STATUS, HANG_BEFORE_HEADERS, EMPTY_BODY -> {
                // not mid-stream faults: acted out before the stream starts
            }
        }
    }
}
