package dev.switchboard.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.util.Set;

/**
 * The listener's only connection selector: it takes every connection and serves it with Helidon's
 * own HTTP/1.1 connection, handing that connection an {@link Http10Context} when the first request
 * line ends in {@code HTTP/1.0} (Helidon alone answers those with 505). Which one is decided by
 * {@link VersionDispatchingConnection} once per connection, from the first line only.
 *
 * <p>Register it with {@code protocolsDiscoverServices(false)} so that it is the only candidate: with
 * a second selector, Helidon reads from every new connection before any selector has claimed it, and
 * a connection that sends nothing then escapes the idle timeout and the interrupt at shutdown. The
 * price is that protocols found on the class path (HTTP/2, WebSocket upgrades) are not offered; the
 * server has none today. Immutable and thread-safe.
 */
public final class HttpVersionSelector implements ServerConnectionSelector {
    private final Http1Config config;
    private final Http1ConnectionSelector http1;

    private HttpVersionSelector(Http1Config config) {
        this.config = config;
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
    }

    /** A selector with Helidon's default HTTP/1 settings (header and request-line limits). */
    public static HttpVersionSelector create() {
        return new HttpVersionSelector(Http1Config.create());
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        // the only candidate is never asked; were there others, the version is told apart in the connection
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new VersionDispatchingConnection(ctx, http1, config);
    }
}
