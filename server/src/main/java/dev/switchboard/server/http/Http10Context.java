package dev.switchboard.server.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The view of an HTTP/1.0 connection that Helidon's HTTP/1.1 connection is given: the same socket,
 * read through an {@link Http10RequestReader} and written through an {@link Http10ResponseWriter}.
 *
 * <p>Design note. Helidon's HTTP/1 server knows only HTTP/1.1, so an HTTP/1.0 exchange is translated
 * at the byte level on its way in and out, and everything between (routing, limits, error rendering)
 * stays Helidon's and ours as for any request.
 * <ul>
 *   <li>One request per connection. The request is handed on as HTTP/1.1 with {@code Connection: close},
 *       so the response says {@code Connection: close}. The reader passes on no more than the request's
 *       {@code Content-Length} of body, and nothing at all once the writer has seen the response end;
 *       then it reports the end of input. So nothing after the first request (a pipelined request, a
 *       body no handler read) is ever parsed as a request, and Helidon, finding no next request,
 *       closes the connection. A client asking for HTTP/1.0 keep-alive ({@code Connection: keep-alive})
 *       is declined, which HTTP allows: a server may always close after a response that says so.
 *       Persistent HTTP/1.0 connections are an old extension whose only users here would be proxies,
 *       and those speak HTTP/1.1 when asked; one more connection per request is their price.</li>
 *   <li>No chunked framing toward the client, which may not understand it. A response Helidon frames
 *       as chunked (a stream of server-sent events) goes out with the framing removed as it passes,
 *       each chunk's data written through when Helidon writes it, so events still arrive one by one;
 *       the end of the body is the close of the connection.</li>
 *   <li>HTTP/1.0 requests may lack {@code Host}; the reader adds the local address. A request with
 *       {@code Transfer-Encoding} has faulty framing in HTTP/1.0 (RFC 9112, section 6.1) and is
 *       answered 400.</li>
 * </ul>
 * The status line says {@code HTTP/1.1}, as HTTP requires of a server that implements 1.1 (RFC 9110,
 * section 2.5); HTTP/1.0 clients accept it. Used by the connection's one thread only.
 */
final class Http10Context implements ConnectionContext {
    private final ConnectionContext socket;
    private final DataReader reader;
    private final Http10ResponseWriter writer;

    /**
     * @param socket          the connection as Helidon accepted it
     * @param maxHeaderBytes  the most bytes of header fields read before the request is refused with 431
     */
    Http10Context(ConnectionContext socket, int maxHeaderBytes) {
        this.socket = socket;
        this.writer = new Http10ResponseWriter(socket.dataWriter());
        this.reader = DataReader.create(new Http10RequestReader(
                socket.dataReader(), maxHeaderBytes, authority(socket.localPeer()), writer::answered));
    }

    /** The local address as a {@code Host} value, for requests that have none. */
    static String authority(PeerInfo local) {
        if (local.address() instanceof InetSocketAddress address && address.getAddress() != null) {
            String host = address.getAddress().getHostAddress();
            int zone = host.indexOf('%');
            host = zone < 0 ? host : host.substring(0, zone);
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        }
        return "localhost";
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
    }

    @Override
    public ListenerContext listenerContext() {
        return socket.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return socket.executor();
    }

    @Override
    public Router router() {
        return socket.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return socket.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return socket.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return socket.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return socket.localPeer();
    }

    @Override
    public boolean isSecure() {
        return socket.isSecure();
    }

    @Override
    public String socketId() {
        return socket.socketId();
    }

    @Override
    public String childSocketId() {
        return socket.childSocketId();
    }
}
