package dev.switchboard.simulator;

import dev.switchboard.simulator.SimulatorStats.StreamOutcome;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Streams a plan as OpenAI does: the role chunk, one chunk per token, the finish chunk, the
 * usage chunk if asked for, then {@code data: [DONE]}; and acts out the mid-stream faults after
 * {@code fault_after_tokens} token chunks.
 *
 * <p>Timing: the time to first token passes before any byte, status line included (Helidon sends
 * headers with the first flushed body bytes). Token chunks are paced against a schedule of
 * {@code 1/tokens_per_second} intervals, so slow writes do not accumulate drift.
 *
 * <p>Thread-safe; each call runs on its request's virtual thread.
 */
final class StreamResponder {

    static final byte[] MALFORMED_EVENT = "data: {this is not json\n\n".getBytes(StandardCharsets.US_ASCII);

    private final SimulatorStats stats;
    private final StopSignal stop;

    StreamResponder(SimulatorStats stats, StopSignal stop) {
        this.stats = stats;
        this.stop = stop;
    }

    void respond(CompletionPlan plan, boolean includeUsage, RequestControls controls, ServerResponse res) {
        stats.recordStreamStarted();
        StreamOutcome outcome = StreamOutcome.DROPPED;
        try {
            stop.sleep(controls.timeToFirstToken());
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            stream(
                    new ChunkEncoder(plan, includeUsage),
                    plan.tokenChunks(),
                    includeUsage,
                    controls,
                    new EventStreamWriter(res.outputStream()));
            outcome = StreamOutcome.COMPLETED;
        } catch (ClientDisconnected e) {
            outcome = StreamOutcome.ABORTED_BY_CLIENT;
            throw new CloseConnectionException("client disconnected");
        } finally {
            stats.recordStreamEnded(outcome);
        }
    }

    private void stream(
            ChunkEncoder chunks, int tokens, boolean includeUsage, RequestControls controls, EventStreamWriter events) {
        events.event(chunks.opening());
        int faultAt = controls.fault().midStream() ? Math.min(controls.faultAfterTokens(), tokens) : -1;
        long interval = controls.tokensPerSecond() == 0 ? 0 : 1_000_000_000L / controls.tokensPerSecond();
        long next = System.nanoTime();
        for (int i = 0; i < tokens || i == faultAt; i++) {
            if (interval > 0 && i > 0) {
                next += interval;
                stop.sleepUntil(next);
            }
            if (i == faultAt) { // strikes when the next token would have been due
                actOut(controls, events);
                next = System.nanoTime();
            }
            if (i < tokens) {
                events.event(chunks.token(i));
            }
        }
        events.event(chunks.finish());
        if (includeUsage) {
            events.event(chunks.usage());
        }
        events.done();
    }

    private void actOut(RequestControls controls, EventStreamWriter events) {
        switch (controls.fault()) {
            case RESET_MID_STREAM -> throw new CloseConnectionException("simulated reset mid-stream");
            case MALFORMED_CHUNK -> events.raw(MALFORMED_EVENT);
            case STALL_MID_STREAM -> stop.sleep(controls.hang());
            case NONE, STATUS, HANG_BEFORE_HEADERS, EMPTY_BODY -> {
                // not mid-stream faults: acted out before the stream starts
            }
        }
    }
}
