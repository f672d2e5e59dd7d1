package dev.switchboard.server.chat;

import dev.switchboard.core.pipeline.ClientGoneException;
import io.helidon.common.socket.SocketWriterException;
import io.helidon.webserver.CloseConnectionException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes server-sent events to the client, one flush per event so nothing waits in a buffer. Each
 * event is assembled in a reused array and written with a single call. A failure of the connection
 * means the client is gone and surfaces as {@link ClientGoneException}; any other exception is a bug and
 * is not disguised as one. Not thread-safe: one thread at a time (the request's, or the keep-alive
 * writer's while the request's waits).
 */
public final class SseWriter {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private final OutputStream out;
    private byte[] frame = new byte[1024];

    public SseWriter(OutputStream out) {
        this.out = out;
    }

    /** An SSE comment, which clients ignore and proxies see as traffic. */
    public void comment(String text) {
        write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    public void data(byte[] json) {
        int length = DATA.length + json.length + END.length;
        if (frame.length < length) {
            frame = Arrays.copyOf(frame, Math.max(length, frame.length * 2));
        }
        System.arraycopy(DATA, 0, frame, 0, DATA.length);
        System.arraycopy(json, 0, frame, DATA.length, json.length);
        System.arraycopy(END, 0, frame, DATA.length + json.length, END.length);
        write(frame, length);
    }

    public void done() {
        write(DONE);
    }

    private void write(byte[] bytes) {
        write(bytes, bytes.length);
    }

    private void write(byte[] bytes, int length) {
        try {
            out.write(bytes, 0, length);
            out.flush();
        } catch (IOException | UncheckedIOException | SocketWriterException | CloseConnectionException e) {
            // what the socket and the server throw when the connection fails; anything else is a bug
            throw new ClientGoneException(e);
        }
    }
}
