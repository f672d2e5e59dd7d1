package dev.switchboard.provider.http;

import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reading a whole upstream answer body, the same for every wire format: bounded, with the failures
 * classified as the adapters report them. Stateless.
 */
public final class ResponseBodies {
    private ResponseBodies() {}

    /**
     * The whole body, read before parsing so that a body that is not JSON can still be shown as
     * {@code metadata.raw}, and refused with 502 when it is larger than {@code maxBytes}
     * ({@code upstream.max_body_bytes}), whether its declared length says so or its bytes do. With a
     * {@code Content-Length} (the usual case) it is read into one array of exactly that size:
     * {@code readAllBytes} would allocate a 16 KiB buffer per response, which at load is most of the
     * gateway's garbage. The end of the stream is read too, which is what returns the connection to the
     * pool. A body cut short comes back short and fails to parse.
     */
    public static byte[] read(UpstreamHttp.Response response, CallControl control, String providerName, long maxBytes) {
        try {
            InputStream in = response.body();
            long declared = response.raw().headers().contentLength().orElse(-1);
            if (declared > maxBytes) {
                throw tooLarge(providerName, maxBytes, in.readNBytes(UpstreamHttp.MAX_RAW_CHARS), response.status());
            }
            if (declared < 0) {
                byte[] body = in.readNBytes((int) maxBytes + 1);
                if (body.length > maxBytes) {
                    throw tooLarge(providerName, maxBytes, body, response.status());
                }
                return body;
            }
            byte[] body = new byte[(int) declared];
            int read = in.readNBytes(body, 0, body.length);
            // Reading on to the end lets the client see the entity finished and keep the connection
            // pooled; a response closed before its end costs a new connection for the next request.
            if (in.read() >= 0) {
                throw new IOException("body longer than its Content-Length");
            }
            return read == body.length ? body : Arrays.copyOf(body, read);
        } catch (IOException | CallControl.AbortedException e) {
            // the connection or its bytes failed, or the call was aborted; anything else is a bug of ours
            throw UpstreamHttp.classify(e, control, providerName);
        }
    }

    /** A success status whose body is not in the provider's wire format; the provider reported no code of its own. */
    public static UpstreamException malformed(String message, byte[] raw, int status, String providerName) {
        return new UpstreamException(
                UpstreamFailure.MALFORMED,
                providerName,
                status,
                null,
                message,
                UpstreamHttp.rawExcerpt(raw, raw.length).orElse(null),
                null);
    }

    /** The {@code Retry-After} header in whole seconds, when it is one; a date or garbage counts as none. */
    public static @Nullable Duration retryAfter(UpstreamHttp.Response response) {
        return response.header("Retry-After")
                .flatMap(value -> {
                    try {
                        return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                })
                .orElse(null);
    }

    private static UpstreamException tooLarge(String providerName, long maxBytes, byte[] head, int status) {
        return new UpstreamException(
                UpstreamFailure.MALFORMED,
                providerName,
                status,
                null,
                providerName + " sent a response larger than the gateway accepts (" + maxBytes
                        + " bytes; upstream.max_body_bytes)",
                UpstreamHttp.rawExcerpt(head, head.length).orElse(null),
                null);
    }
}
