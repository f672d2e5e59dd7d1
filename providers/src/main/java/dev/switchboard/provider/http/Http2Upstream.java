package dev.switchboard.provider.http;

import dev.switchboard.core.upstream.CallControl;
import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.http2.Http2Client;
import io.helidon.webclient.http2.Http2ClientProtocolConfig;
import io.helidon.webclient.http2.Http2ClientRequest;
import io.helidon.webclient.http2.Http2ClientStream;
import io.helidon.webclient.spi.WebClientService;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Calls to upstreams over HTTP/2 with Helidon's {@link Http2Client}: h2c with prior knowledge for
 * {@code http://}, ALPN {@code h2} (and nothing else) for {@code https://}. Helidon keeps one connection
 * per destination and opens another only when the upstream's {@code MAX_CONCURRENT_STREAMS} is reached or
 * the connection is gone; each call is one stream on it.
 *
 * <h2>Flow-control windows</h2>
 * Helidon 4.5 has one setting for the inbound windows: it advertises it as {@code INITIAL_WINDOW_SIZE}
 * (each stream's window) and raises the connection's window to the same value; and it gives window back,
 * to the stream and to the connection alike, only as the caller reads the data. So the data that readers
 * have not taken yet, summed over every stream, can never exceed that one number, and a stream whose
 * client reads slowly holds its share of the connection window until it reads. With windows of
 * 64 KiB, four slow clients could stall every other stream of the connection. Both windows are
 * therefore {@value #WINDOW_BYTES} bytes, the largest HTTP/2 allows: no backlog of unread
 * answers ever stalls another stream. The price is that inbound flow control no longer bounds what a
 * stream buffers on the heap: an upstream may send a whole answer ahead of a slow client, as HTTP/1.1
 * lets it fill the kernel's socket buffers. An answer is bounded by the model's output limit (and a
 * non-streaming one by {@code upstream.max_body_bytes}), and the total timeout ends the call. Frames are
 * at most 16 KiB (the protocol's default), small enough that one large answer does not hold the
 * connection's reader long.
 *
 * <p>The maximum has a second reason: Helidon 4.5 sends a stream's {@code WINDOW_UPDATE} only while no
 * newer stream is open on the connection, so with a smaller window a long answer on an older stream would
 * stall for good once it had received its window. At 2 GiB a stream never exhausts its window.
 *
 * <h2>Ending a call early</h2>
 * The call's {@link CallControl} interrupts the calling thread as for HTTP/1.1, but here the thread is
 * not blocked on a socket: it waits for its stream's head or data, which Helidon's connection thread
 * delivers. The interrupt ends that wait, and closing the {@link UpstreamHttp.Response} of an unfinished
 * stream resets it ({@code RST_STREAM}, code {@code CANCEL}), so the upstream stops producing. The
 * connection and its other streams carry on. Two cases are not clean:
 * <ul>
 *   <li>A call aborted before its response head arrived is closed on our side but not reset: Helidon
 *       tries, but its frame writer takes its lock interruptibly and the interrupt that ended the wait is
 *       still pending (Helidon restores it), so the reset fails and is dropped; and the stream never
 *       reaches this code. The upstream runs that request to its end and Helidon discards the answer.
 *   <li>An abort that lands while the thread is blocked writing its request to a connection whose socket
 *       send buffer is full closes that socket (that is what an interrupt does to a virtual thread blocked
 *       in socket I/O), and with it the connection's other streams, which then fail as described next.
 * </ul>
 *
 * <h2>A lost connection</h2>
 * Helidon closes a connection whose socket failed or that got {@code GOAWAY}, but does not wake the
 * streams waiting on it; the {@link Http2ConnectionWatch} does, within about a second, so that they fail
 * as a broken connection ({@code MALFORMED}, retryable) instead of at their timeouts. The next call opens
 * a new connection. Thread-safe.
 */
final class Http2Upstream implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Http2Upstream.class.getName());
    /** Inbound connection and stream windows, in bytes: 2^31 - 1, the protocol's maximum. */
    static final int WINDOW_BYTES = Integer.MAX_VALUE;
    /** The largest DATA frame the upstream may send: the protocol's default and minimum, 16 KiB. */
    static final int MAX_FRAME_BYTES = 16 * 1024;
    /**
     * How long a request body waits for the upstream to open its window before the call fails. Upstreams
     * advertise windows of 64 KiB and more and read requests promptly; a request that waits this long is
     * talking to a stuck upstream.
     */
    static final Duration REQUEST_WINDOW_WAIT = Duration.ofSeconds(15);

    private final Http2Client client;
    private final Http2ConnectionWatch watch;

    Http2Upstream(Duration connectTimeout, Duration readBackstop, Tls tls) {
        this.watch = new Http2ConnectionWatch();
        this.client = Http2Client.builder()
                .socketOptions(socket ->
                        socket.tcpNoDelay(true).connectTimeout(connectTimeout).readTimeout(readBackstop))
                .connectTimeout(connectTimeout)
                .readTimeout(readBackstop)
                .followRedirects(false)
                .proxy(Proxy.noProxy())
                .tls(tls)
                .shareConnectionCache(false)
                .protocolConfig(Http2ClientProtocolConfig.builder()
                        .priorKnowledge(true)
                        .initialWindowSize(WINDOW_BYTES)
                        .maxFrameSize(MAX_FRAME_BYTES)
                        .flowControlBlockTimeout(REQUEST_WINDOW_WAIT)
                        .ping(false)
                        .build())
                .addService(new StreamCapture())
                .build();
    }

    /**
     * Sends the request on a stream and waits for the response head. The caller brackets this for
     * {@link CallControl} and must close the response; {@code onClose} of the returned call must run then.
     */
    Sent submit(URI uri, Map<String, String> headers, byte[] body, CallControl control) {
        Http2ConnectionWatch.Call call = watch.begin(destination(uri), control);
        try {
            Http2ClientRequest request = client.post().uri(uri).header(HeaderValues.CONTENT_TYPE_JSON);
            headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
            Context context = Context.create();
            context.register(call);
            Callable<HttpClientResponse> send = () -> request.submit(body);
            HttpClientResponse response = Contexts.runInContext(context, send);
            return new Sent(response, call);
        } catch (RuntimeException e) {
            watch.end(call);
            throw e;
        }
    }

    /** A response head and the watched call it belongs to. */
    record Sent(HttpClientResponse response, Http2ConnectionWatch.Call call) {}

    /** Ends the watch of a call whose response was closed. */
    void ended(Http2ConnectionWatch.Call call) {
        watch.end(call);
    }

    /** HTTP/2 connections that carried a call and are open now. */
    int connections() {
        return watch.connections();
    }

    private static String destination(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    }

    @Override
    public void close() {
        try {
            client.closeResource();
        } catch (UncheckedIOException e) {
            // Closing says goodbye (GOAWAY) on every cached connection; one the upstream already closed
            // cannot take it, and is gone either way; the
            // rest are closed with the process.
            LOG.log(System.Logger.Level.DEBUG, "an HTTP/2 connection was already closed when the client closed");
        } finally {
            watch.close();
        }
    }

    /**
     * Tells the watch which connection a call's stream is on, once its head arrived: Helidon hands the
     * stream to the services of a call only then.
     */
    private final class StreamCapture implements WebClientService {
        @Override
        public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
            WebClientServiceResponse response = chain.proceed(request);
            request.context().get(Http2ConnectionWatch.Call.class).ifPresent(call -> {
                if (response.connection() instanceof Http2ClientStream stream) {
                    watch.headArrived(call, stream);
                }
            });
            return response;
        }
    }
}
