package dev.switchboard.simulator;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers a non-streaming request with one {@code chat.completion} body, after the time to first
 * token. The mid-stream faults have non-streaming counterparts acting on the body bytes:
 * {@code reset_mid_stream} declares the full {@code Content-Length}, sends half the body and
 * drops the connection; {@code stall_mid_stream} sends half, waits {@code hang_ms}, then the
 * rest; {@code malformed_chunk} answers 200 with a body that is not JSON.
 *
 * <p>Thread-safe; each call runs on its request's virtual thread.
 */
final class CompletionResponder {

    static final byte[] MALFORMED_BODY = "{this is not json".getBytes(StandardCharsets.US_ASCII);

    private final StopSignal stop;

    CompletionResponder(StopSignal stop) {
        this.stop = stop;
    }

    void respond(CompletionPlan plan, RequestControls controls, ServerResponse res) {
        respond(CompletionEncoder.completion(plan), controls, res);
    }

    /** Answers with {@code body}, a whole JSON answer in any wire format, under the same controls. */
    void respond(byte[] body, RequestControls controls, ServerResponse res) {
        stop.sleep(controls.timeToFirstToken());
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        switch (controls.fault()) {
            case MALFORMED_CHUNK -> res.send(MALFORMED_BODY);
            case RESET_MID_STREAM -> {
                sendHalf(body, res);
                throw new CloseConnectionException("simulated reset mid-body");
            }
            case STALL_MID_STREAM -> {
                OutputStream out = sendHalf(body, res);
                stop.sleep(controls.hang());
                write(out, body, body.length / 2, body.length - body.length / 2);
            }
            case NONE, STATUS, HANG_BEFORE_HEADERS, EMPTY_BODY -> res.send(body);
        }
    }

    private static OutputStream sendHalf(byte[] body, ServerResponse res) {
        res.contentLength(body.length);
        OutputStream out = res.outputStream();
        write(out, body, 0, body.length / 2);
        return out;
    }

    private static void write(OutputStream out, byte[] body, int offset, int length) {
        try {
            out.write(body, offset, length);
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            throw new CloseConnectionException("client disconnected", e);
        }
    }
}
