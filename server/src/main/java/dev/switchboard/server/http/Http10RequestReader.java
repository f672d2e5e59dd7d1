package dev.switchboard.server.http;

import io.helidon.common.buffers.DataReader;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of one HTTP/1.0 request, as the source of the {@link DataReader} Helidon parses: first
 * the whole head rewritten as HTTP/1.1 ({@link Http10RequestHead}), then at most the declared
 * {@code Content-Length} of body bytes, as they arrive and only while the response is not yet written
 * whole, then the end of input ({@code null}) whatever else the client sends. Helidon does not read a
 * body its handler left unread when the request asked to close the connection; it reads on as if for
 * the next request, and here finds the end of input. A head Helidon must refuse surfaces as its
 * {@code RequestException}, thrown while Helidon reads the request line, and is answered like any
 * other bad request. Used by the connection's one thread only.
 */
final class Http10RequestReader implements Supplier<byte[]> {
    private final DataReader socket;
    private final int maxHeaderBytes;
    private final String localAuthority;
    private final BooleanSupplier answered;
    private boolean headRead;
    private long bodyLeft;

    /**
     * @param socket          the connection's bytes, positioned at the request line
     * @param maxHeaderBytes  the most bytes of header fields accepted
     * @param localAuthority  the {@code Host} value for a request without one
     * @param answered        whether the response has been written whole
     */
    Http10RequestReader(DataReader socket, int maxHeaderBytes, String localAuthority, BooleanSupplier answered) {
        this.socket = socket;
        this.maxHeaderBytes = maxHeaderBytes;
        this.localAuthority = localAuthority;
        this.answered = answered;
    }

    @Override
    public byte @Nullable [] get() {
        if (!headRead) {
            headRead = true;
            Http10RequestHead head = Http10RequestHead.read(socket, maxHeaderBytes);
            bodyLeft = head.contentLength();
            return head.asHttp11(localAuthority);
        }
        if (bodyLeft == 0 || answered.getAsBoolean()) {
            return null;
        }
        socket.ensureAvailable();
        int length = (int) Math.min(socket.available(), bodyLeft);
        bodyLeft -= length;
        return socket.readBytes(length);
    }
}
