package dev.switchboard.provider.http;

import dev.switchboard.core.catalog.HttpVersion;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP client every adapter shares: blocking calls on the caller's virtual thread, and one
 * translation of transport failures into {@link UpstreamFailure}s. A call goes over HTTP/1.1, on
 * keep-alive connections from the gateway's own pool ({@link UpstreamConnectionPool}), or over HTTP/2 as
 * one stream of a shared connection ({@link Http2Upstream}), as the provider's {@link HttpVersion} says;
 * the response, its body and its failures look the same either way.
 *
 * <p>The socket read timeout is only a backstop, set beyond the total timeout; first-byte, idle and
 * total limits are enforced through {@link CallControl} by the timeout watchdog. Messages of the
 * failures describe what went wrong in words a client can read; they never name exception classes.
 * Thread-safe.
 */
public final class UpstreamHttp implements AutoCloseable {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /**
     * At most this many characters of an upstream body (4 KiB of ASCII) are passed to the client as
     * {@code metadata.raw}: enough for any provider's error object, while a provider that answers with
     * a megabyte of HTML does not put all of it into our error response.
     */
    public static final int MAX_RAW_CHARS = 4 * 1024;

    /** Idle upstream connections are closed after this long; most providers keep theirs open longer. */
    public static final Duration DEFAULT_POOL_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** At most this many idle connections wait per upstream host; more are closed as they come back. */
    public static final int DEFAULT_POOL_MAX_IDLE = 512;

    private final Http1Client client;
    private final UpstreamConnectionPool pool;
    private final Duration connectTimeout;
    private final Duration readBackstop;
    private final Tls tls;
    /** Made by the first HTTP/2 call: a gateway without HTTP/2 providers has no HTTP/2 client and no watch thread. */
    private volatile @Nullable Http2Upstream http2;

    private final ReentrantLock http2Lock = new ReentrantLock();
    private volatile boolean closed;

    public UpstreamHttp(Duration connectTimeout, Duration readBackstop) {
        this(connectTimeout, readBackstop, DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_POOL_MAX_IDLE);
    }

    public UpstreamHttp(Duration connectTimeout, Duration readBackstop, Duration poolIdleTimeout, int poolMaxIdle) {
        this(webClient(connectTimeout, readBackstop, null), connectTimeout, readBackstop, poolIdleTimeout, poolMaxIdle);
    }

    /**
     * @param tls how {@code https} upstreams are verified instead of by the JVM's trusted certificates and
     *            the host name: a test's own trust
     */
    public UpstreamHttp(
            Duration connectTimeout, Duration readBackstop, Duration poolIdleTimeout, int poolMaxIdle, Tls tls) {
        this(webClient(connectTimeout, readBackstop, tls), connectTimeout, readBackstop, poolIdleTimeout, poolMaxIdle);
    }

    private UpstreamHttp(
            WebClient webClient,
            Duration connectTimeout,
            Duration readBackstop,
            Duration poolIdleTimeout,
            int poolMaxIdle) {
        this.client = webClient.client(Http1Client.PROTOCOL);
        this.pool = new UpstreamConnectionPool(webClient, poolIdleTimeout, poolMaxIdle);
        this.connectTimeout = connectTimeout;
        this.readBackstop = readBackstop;
        this.tls = webClient.prototype().tls();
    }

    private static WebClient webClient(Duration connectTimeout, Duration readBackstop, @Nullable Tls tls) {
        WebClientConfig.Builder builder = WebClient.builder()
                .socketOptions(socket ->
                        socket.tcpNoDelay(true).connectTimeout(connectTimeout).readTimeout(readBackstop))
                .connectTimeout(connectTimeout)
                .readTimeout(readBackstop)
                .keepAlive(true)
                .followRedirects(false)
                // The request head and body are written as one buffer and flushed at once; the client's
                // write buffer would only copy them, through a new array of its free capacity per write.
                .writeBufferSize(0)
                // Upstreams are addressed directly; without this the client consults the system proxy per request.
                .proxy(Proxy.noProxy());
        if (tls != null) {
            builder.tls(tls);
        }
        return builder.build();
    }

    /**
     * An upstream response whose status has not been judged yet; close it when done. Closing a response
     * whose body was not read to its end ends the exchange: the HTTP/1.1 connection is closed, the HTTP/2
     * stream reset.
     */
    public record Response(int status, HttpClientResponse raw, InputStream body, Runnable onClose)
            implements AutoCloseable {
        public Response(int status, HttpClientResponse raw, InputStream body) {
            this(status, raw, body, () -> {});
        }

        public Optional<String> header(String name) {
            return raw.headers().first(HeaderNames.create(name));
        }

        @Override
        public void close() {
            try {
                raw.close();
            } finally {
                onClose.run();
            }
        }
    }

    /**
     * POSTs a JSON body over HTTP/1.1 and returns once the status line and headers arrived.
     *
     * @throws UpstreamException classified connect, timeout and cancellation failures
     */
    public Response postJson(
            URI uri, Map<String, String> headers, byte[] body, CallControl control, String providerName) {
        return postJson(uri, HttpVersion.HTTP_1_1, headers, body, control, providerName);
    }

    /**
     * POSTs a JSON body over {@code version} and returns once the response head arrived.
     *
     * @throws UpstreamException classified connect, timeout and cancellation failures
     */
    public Response postJson(
            URI uri,
            HttpVersion version,
            Map<String, String> headers,
            byte[] body,
            CallControl control,
            String providerName) {
        Response response;
        try {
            control.enterIo();
            response = switch (version) {
                case HTTP_1_1 -> respond(submit(uri, headers, body, control), control, () -> {});
                case HTTP_2 -> {
                    Http2Upstream upstream = http2();
                    Http2Upstream.Sent sent = upstream.submit(uri, headers, body, control);
                    yield respond(sent.response(), control, () -> upstream.ended(sent.call()));
                }
            };
        } catch (RuntimeException e) {
            throw classify(e, control, providerName);
        } finally {
            control.exitIo();
        }
        if (control.abortReason().isPresent()) {
            response.close();
            throw classify(
                    new CallControl.AbortedException(control.abortReason().get()), control, providerName);
        }
        control.activity();
        return response;
    }

    private Http2Upstream http2() {
        Http2Upstream existing = http2;
        if (existing != null) {
            return existing;
        }
        http2Lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the upstream HTTP client is closed");
            }
            Http2Upstream made = http2;
            if (made == null) {
                made = new Http2Upstream(connectTimeout, readBackstop, tls);
                http2 = made;
            }
            return made;
        } finally {
            http2Lock.unlock();
        }
    }

    private static Response respond(HttpClientResponse response, CallControl control, Runnable onClose) {
        return new Response(
                response.status().code(),
                response,
                new ControlledInputStream(response.inputStream(), control),
                onClose);
    }

    /**
     * Sends the request on a pooled connection and reads the response head. A pooled connection that
     * fails before the head arrived had been closed by the upstream while it was idle, before the
     * request reached it (see {@link UpstreamConnectionPool}): the request is sent once more, on a new
     * connection. A failed connection is always closed, never pooled.
     */
    private HttpClientResponse submit(URI uri, Map<String, String> headers, byte[] body, CallControl control) {
        UpstreamConnectionPool.Lease lease = pool.acquire(uri);
        try {
            return submitOn(lease, uri, headers, body);
        } catch (RuntimeException e) {
            lease.connection().closeResource();
            if (!lease.reused() || control.abortReason().isPresent() || !endedByPeer(e)) {
                throw e;
            }
        }
        UpstreamConnectionPool.Lease fresh = pool.acquireNew(uri);
        try {
            return submitOn(fresh, uri, headers, body);
        } catch (RuntimeException e) {
            fresh.connection().closeResource();
            throw e;
        }
    }

    private HttpClientResponse submitOn(
            UpstreamConnectionPool.Lease lease, URI uri, Map<String, String> headers, byte[] body) {
        Http1ClientRequest request =
                client.post().uri(uri).connection(lease.connection()).header(HeaderValues.CONTENT_TYPE_JSON);
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        return request.submit(body);
    }

    /** Whether {@code error} says the peer ended the connection (end of stream, reset, broken pipe), not a timeout. */
    static boolean endedByPeer(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof ConnectException) {
                return false;
            }
            if (t instanceof DataReader.InsufficientDataAvailableException
                    || t instanceof EOFException
                    || t instanceof SocketException) {
                return true;
            }
        }
        return false;
    }

    /** Connections to upstreams opened since start. */
    public long connectionsOpened() {
        return pool.opened();
    }

    /** Connections to upstreams waiting idle in the pool now. */
    public int idleConnections() {
        return pool.idle();
    }

    /** HTTP/2 connections to upstreams that carried a call and are open now. */
    public int http2Connections() {
        Http2Upstream upstream = http2;
        return upstream == null ? 0 : upstream.connections();
    }

    /**
     * {@code body} as the gateway reads an upstream body: every read bracketed for {@link CallControl}
     * (so a timeout or a cancellation can interrupt it) and counted as activity.
     */
    public static InputStream controlled(InputStream body, CallControl control) {
        return new ControlledInputStream(body, control);
    }

    /**
     * The body text passed on as {@code metadata.raw}: its first {@link #MAX_RAW_CHARS} characters
     * (a surrogate pair is never split), or empty when the body is empty.
     */
    public static Optional<String> rawExcerpt(String body) {
        if (body.isEmpty()) {
            return Optional.empty();
        }
        if (body.length() <= MAX_RAW_CHARS) {
            return Optional.of(body);
        }
        int end = Character.isHighSurrogate(body.charAt(MAX_RAW_CHARS - 1)) ? MAX_RAW_CHARS - 1 : MAX_RAW_CHARS;
        return Optional.of(body.substring(0, end));
    }

    /** {@link #rawExcerpt(String)} of UTF-8 bytes, decoding no more of them than the excerpt can hold. */
    public static Optional<String> rawExcerpt(byte[] body, int length) {
        // A character takes at most 4 bytes of UTF-8, so this prefix holds MAX_RAW_CHARS characters when the body does.
        return rawExcerpt(new String(body, 0, Math.min(length, 4 * MAX_RAW_CHARS), StandardCharsets.UTF_8));
    }

    /** Reads an error body (bounded) as text; never throws. */
    public static String readErrorBody(Response response) {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException | CallControl.AbortedException e) {
            // an error body that cannot be read is passed on as none; the status still says what failed
            return "";
        }
    }

    /**
     * Turns a transport exception into a classified upstream failure: the abort reason when the call
     * was aborted (timeout, client gone), else connect failures, else a broken response.
     *
     * <p>A socket timeout once the response has begun is a broken connection, not one of our timeouts:
     * those are the watchdog's, which aborts the call with its reason long before the socket's backstop.
     * (Helidon's own connection cache once failed a reused connection's read this way after about 100 ms;
     * the gateway's pool replaced it: docs/PERFORMANCE.md, finding 8.)
     */
    public static UpstreamException classify(Throwable error, CallControl control, String providerName) {
        Optional<UpstreamFailure> aborted = control.abortReason();
        if (aborted.isPresent()) {
            return aborted(aborted.get(), providerName);
        }
        if (error instanceof CallControl.AbortedException abortedException) {
            return aborted(abortedException.reason(), providerName);
        }
        Throwable cause = (error instanceof UncheckedIOException || error instanceof UpstreamReadException)
                        && error.getCause() != null
                ? error.getCause()
                : error;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return UpstreamException.of(
                        UpstreamFailure.CONNECT, providerName, providerName + " refused the connection");
            }
            if (t instanceof SocketTimeoutException && !control.firstByteSeen()) {
                return UpstreamException.of(
                        UpstreamFailure.CONNECT_TIMEOUT,
                        providerName,
                        providerName + " did not accept the connection in time");
            }
        }
        return UpstreamException.of(UpstreamFailure.MALFORMED, providerName, brokenMessage(cause, providerName));
    }

    /** What a failure of an established exchange was, in words: the connection ended early, or the bytes made no sense. */
    private static String brokenMessage(Throwable cause, String providerName) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException || t instanceof EOFException) {
                return "The connection to " + providerName + " closed before the response was complete";
            }
            if (t instanceof SocketException || t instanceof SocketTimeoutException) {
                return "The connection to " + providerName + " was lost before the response was complete";
            }
        }
        return "The response from " + providerName + " could not be read";
    }

    private static UpstreamException aborted(UpstreamFailure reason, String providerName) {
        return UpstreamException.of(reason, providerName, describe(reason, providerName));
    }

    /**
     * The message of an attempt ended early: by a timeout, the client's cancellation, or (HTTP/2) the loss
     * of the connection its stream was on; the rest are named for completeness.
     */
    private static String describe(UpstreamFailure failure, String providerName) {
        return switch (failure) {
            case FIRST_BYTE_TIMEOUT -> "The provider did not start answering in time";
            case IDLE_TIMEOUT -> "The provider's stream stalled";
            case TOTAL_TIMEOUT -> "The provider did not finish in time";
            case CANCELLED -> "The client closed the connection";
            case CONNECT -> providerName + " could not be reached";
            case CONNECT_TIMEOUT -> providerName + " did not accept the connection in time";
            case RATE_LIMITED -> providerName + " is rate limiting the gateway";
            case REJECTED -> providerName + " rejected the request";
            case PROVIDER_CLIENT_ERROR, SERVER_ERROR -> providerName + " returned an error";
            case MALFORMED -> "The connection to " + providerName + " was lost before the response was complete";
        };
    }

    @Override
    public void close() {
        pool.close();
        client.closeResource();
        http2Lock.lock();
        try {
            closed = true;
            Http2Upstream upstream = http2;
            if (upstream != null) {
                upstream.close();
            }
        } finally {
            http2Lock.unlock();
        }
    }
}
