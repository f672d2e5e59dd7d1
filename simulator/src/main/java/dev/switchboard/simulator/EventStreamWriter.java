package dev.switchboard.simulator;

import io.helidon.common.socket.SocketWriterException;
import io.helidon.webserver.CloseConnectionException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events, {@code data: <json>\n\n}, flushing each so the client sees it at
 * once. Any failure to write means the client went away and surfaces as
 * {@link ClientDisconnected}. One instance per response, not thread-safe.
 */
final class EventStreamWriter {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    EventStreamWriter(OutputStream out) {
        this.out = out;
    }

    void event(byte[] json) {
        try {
            out.write(DATA);
            out.write(json);
            out.write(END);
            out.flush();
        } catch (IOException | UncheckedIOException | SocketWriterException | CloseConnectionException e) {
            // Helidon reports a dead socket as IOException, UncheckedIOException, SocketWriterException or
            // CloseConnectionException; all mean the same thing here
            throw new ClientDisconnected(e);
        }
    }

    /** Writes bytes as they are, framing included: for events that are deliberately broken. */
    void raw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException | UncheckedIOException | SocketWriterException | CloseConnectionException e) {
            throw new ClientDisconnected(e);
        }
    }

    void done() {
        raw(DONE);
    }
}
