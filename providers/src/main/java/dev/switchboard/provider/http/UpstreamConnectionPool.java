package dev.switchboard.provider.http;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's own pool of keep-alive HTTP/1.1 connections to upstreams, one idle stack per
 * destination (scheme, host, port). Helidon's WebClient makes and speaks the connections; the pool only
 * decides which one a request uses, so that no thread ever reads an idle connection's socket.
 *
 * <h2>Why not Helidon's own cache</h2>
 * Helidon's connection cache hands every returned connection to an idle monitor: a virtual thread that
 * reads the socket with a 101 ms timeout until the connection is taken again. Each request's first
 * response byte is then read by that monitor and handed over, and in a rare interleaving the monitor's
 * read timeout reached the request as a failure (one spurious 504 in 2.5 million requests:
 * docs/PERFORMANCE.md, finding 8). Here an idle connection is a socket nobody reads.
 *
 * <h2>Idle connections</h2>
 * Returned connections are pushed on their destination's stack and taken from its top, so the busiest
 * connections stay in use and the ones a burst left behind sink to the bottom, where a sweeper closes
 * those idle for longer than {@code idleTimeout} (every second, off any request's path). At most
 * {@code maxIdlePerDestination} wait per destination; more are closed as they come back.
 *
 * <h2>A connection the upstream closed while it was idle</h2>
 * Without a reader the pool cannot see that an upstream closed an idle connection; the request that
 * takes it finds out, when the connection ends before a single byte of the answer. Such a connection
 * ended at the upstream's side before our request reached it, so the request was never processed, and
 * {@link UpstreamHttp} sends it again once on a new connection ({@link Lease#reused()} tells it when
 * this applies). An upstream that keeps idle connections for less time than {@code idleTimeout} costs
 * one reconnect per such request, never a failure. Thread-safe.
 */
final class UpstreamConnectionPool implements AutoCloseable {
    private static final List<String> HTTP_1_1 = List.of("http/1.1");
    private static final Tls NO_TLS = Tls.builder().enabled(false).build();

    private final WebClient webClient;
    private final long idleTimeoutNanos;
    private final int maxIdlePerDestination;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<Destination, IdleStack> destinations = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final LongAdder opened = new LongAdder();
    private volatile boolean closed;

    UpstreamConnectionPool(WebClient webClient, Duration idleTimeout, int maxIdlePerDestination) {
        this(webClient, idleTimeout, maxIdlePerDestination, System::nanoTime);
        var unused = sweeper.scheduleWithFixedDelay(this::closeExpired, 1, 1, TimeUnit.SECONDS);
    }

    UpstreamConnectionPool(
            WebClient webClient, Duration idleTimeout, int maxIdlePerDestination, LongSupplier nanoClock) {
        this.webClient = webClient;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.maxIdlePerDestination = maxIdlePerDestination;
        this.nanoClock = nanoClock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-upstream-pool-sweeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A connection for one exchange; Helidon returns it to the pool, or closes it, when the response is closed. */
    record Lease(ClientConnection connection, boolean reused) {}

    /** An idle connection to {@code uri}'s destination, or a new one (connecting on the caller's thread). */
    Lease acquire(URI uri) {
        if (closed) {
            throw new IllegalStateException("the upstream connection pool is closed");
        }
        Destination destination = Destination.of(uri);
        IdleStack stack = destinations.computeIfAbsent(destination, this::newStack);
        TcpClientConnection idle = stack.pop(nanoClock.getAsLong() - idleTimeoutNanos);
        if (idle != null) {
            return new Lease(idle, true);
        }
        return new Lease(connect(stack), false);
    }

    /** A new connection to {@code uri}'s destination, never an idle one: for a request that a stale connection failed. */
    Lease acquireNew(URI uri) {
        IdleStack stack = destinations.computeIfAbsent(Destination.of(uri), this::newStack);
        return new Lease(connect(stack), false);
    }

    /** Connections opened since start (a test and the metrics read it). */
    long opened() {
        return opened.sum();
    }

    /** Connections waiting idle now, over every destination. */
    int idle() {
        int idle = 0;
        for (IdleStack stack : destinations.values()) {
            idle += stack.size();
        }
        return idle;
    }

    /** Closes every connection idle for longer than the idle timeout; the sweeper calls it every second. */
    void closeExpired() {
        long idleSince = nanoClock.getAsLong() - idleTimeoutNanos;
        for (IdleStack stack : destinations.values()) {
            stack.closeIdleSince(idleSince);
        }
    }

    private IdleStack newStack(Destination destination) {
        Tls tls = destination.scheme().equals("https") ? webClient.prototype().tls() : NO_TLS;
        ConnectionKey key = ConnectionKey.create(
                destination.scheme(),
                destination.host(),
                destination.port(),
                tls,
                webClient.prototype().dnsResolver(),
                webClient.prototype().dnsAddressLookup(),
                Proxy.noProxy());
        return new IdleStack(key);
    }

    private TcpClientConnection connect(IdleStack stack) {
        TcpClientConnection connection = TcpClientConnection.create(
                        webClient, stack.key, HTTP_1_1, stack::offer, ignored -> {})
                .connect();
        opened.increment();
        return connection;
    }

    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        for (IdleStack stack : destinations.values()) {
            stack.closeAll();
        }
    }

    /** Where a connection goes: what decides whether an idle one can serve a request. */
    private record Destination(String scheme, String host, int port) {
        static Destination of(URI uri) {
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return new Destination(scheme, String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT), port);
        }
    }

    /** A connection waiting in the pool, and when it came back. */
    private record Idle(TcpClientConnection connection, long returnedAt) {}

    /** One destination's idle connections, the most recently returned first. */
    private final class IdleStack {
        private final ConnectionKey key;
        private final ArrayDeque<Idle> connections = new ArrayDeque<>();

        IdleStack(ConnectionKey key) {
            this.key = key;
        }

        /** The newest connection returned after {@code idleSince}, or null; older ones are closed. */
        @Nullable
        TcpClientConnection pop(long idleSince) {
            List<Idle> expired;
            synchronized (this) {
                Idle newest = connections.pollFirst();
                if (newest == null) {
                    return null;
                }
                if (newest.returnedAt() - idleSince > 0) {
                    return newest.connection();
                }
                // The first is the newest, so everything behind an expired connection has expired too.
                expired = new ArrayList<>(connections);
                expired.add(newest);
                connections.clear();
            }
            closeEach(expired);
            return null;
        }

        /** Helidon's release callback: true keeps the connection open (pooled), false has Helidon close it. */
        boolean offer(TcpClientConnection connection) {
            if (closed) {
                return false;
            }
            synchronized (this) {
                if (connections.size() >= maxIdlePerDestination) {
                    return false;
                }
                connections.offerFirst(new Idle(connection, nanoClock.getAsLong()));
                return true;
            }
        }

        synchronized int size() {
            return connections.size();
        }

        void closeIdleSince(long idleSince) {
            List<Idle> expired = new ArrayList<>();
            synchronized (this) {
                while (!connections.isEmpty() && connections.peekLast().returnedAt() - idleSince <= 0) {
                    expired.add(connections.pollLast());
                }
            }
            closeEach(expired);
        }

        void closeAll() {
            List<Idle> all;
            synchronized (this) {
                all = new ArrayList<>(connections);
                connections.clear();
            }
            closeEach(all);
        }
    }

    private static void closeEach(List<Idle> connections) {
        connections.forEach(idle -> idle.connection().closeResource());
    }
}
