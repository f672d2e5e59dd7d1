package dev.switchboard.provider.http;

import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP/1.1 client every adapter shares: pooled keep-alive connections, blocking calls on the
 * caller's virtual thread, and one translation of transport failures into {@link UpstreamFailure}s.
 *
 * <p>The socket read timeout is only a backstop (the total timeout); first-byte and idle limits are
 * enforced through {@link CallControl} by the timeout watchdog. Thread-safe.
 */
public final class UpstreamHttp implements AutoCloseable {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private final Http1Client client;

    public UpstreamHttp(Duration connectTimeout, Duration readBackstop) {
        this.client = Http1Client.builder()
                .socketOptions(socket -> socket.tcpNoDelay(true).connectTimeout(connectTimeout).readTimeout(readBackstop))
                .connectTimeout(connectTimeout)
                .readTimeout(readBackstop)
                .keepAlive(true)
                .followRedirects(false)
                // Upstreams are addressed directly; without this the client consults the system proxy per request.
                .proxy(Proxy.noProxy())
                .build();
    }

    /** An upstream response whose status has not been judged yet; close it when done. */
    public record Response(int status, HttpClientResponse raw, InputStream body) implements AutoCloseable {
        public Optional<String> header(String name) {
            return raw.headers().first(HeaderNames.create(name));
        }

        @Override
        public void close() {
            raw.close();
        }
    }

    /**
     * POSTs a JSON body and returns once the status line and headers arrived.
     *
     * @throws UpstreamException classified connect, timeout and cancellation failures
     */
    public Response postJson(URI uri, Map<String, String> headers, byte[] body, CallControl control, String providerName) {
        Http1ClientRequest request = client.post().uri(uri)
                .header(HeaderValues.CONTENT_TYPE_JSON);
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        HttpClientResponse response;
        try {
            control.enterIo();
            response = request.submit(body);
        } catch (RuntimeException e) {
            throw classify(e, control, providerName);
        } finally {
            control.exitIo();
        }
        if (control.abortReason().isPresent()) {
            response.close();
            throw classify(new CallControl.AbortedException(control.abortReason().get()), control, providerName);
        }
        control.activity();
        return new Response(response.status().code(), response, new ControlledInputStream(response.inputStream(), control));
    }

    /** Reads an error body (bounded) as text; never throws. */
    public static String readErrorBody(Response response) {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Turns a transport exception into a classified upstream failure: the abort reason when the call
     * was aborted (timeout, client gone), else connect failures, else a broken response.
     */
    public static UpstreamException classify(Throwable error, CallControl control, String providerName) {
        Optional<UpstreamFailure> aborted = control.abortReason();
        if (aborted.isPresent()) {
            return UpstreamException.of(aborted.get(), providerName, describe(aborted.get()));
        }
        if (error instanceof CallControl.AbortedException abortedException) {
            return UpstreamException.of(abortedException.reason(), providerName, describe(abortedException.reason()));
        }
        Throwable cause = error instanceof UncheckedIOException && error.getCause() != null ? error.getCause() : error;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return UpstreamException.of(UpstreamFailure.CONNECT, providerName, providerName + " refused the connection");
            }
            if (t instanceof SocketTimeoutException && !control.firstByteSeen()) {
                return UpstreamException.of(UpstreamFailure.CONNECT_TIMEOUT, providerName, providerName + " did not accept the connection in time");
            }
        }
        return UpstreamException.of(UpstreamFailure.MALFORMED, providerName,
                "The connection to " + providerName + " broke: " + cause.getClass().getSimpleName());
    }

    private static String describe(UpstreamFailure failure) {
        return switch (failure) {
            case FIRST_BYTE_TIMEOUT -> "The provider did not start answering in time";
            case IDLE_TIMEOUT -> "The provider's stream stalled";
            case TOTAL_TIMEOUT -> "The provider did not finish in time";
            case CANCELLED -> "The client closed the connection";
            default -> "The upstream call was aborted (" + failure.metricTag() + ")";
        };
    }

    @Override
    public void close() {
        client.closeResource();
    }
}
