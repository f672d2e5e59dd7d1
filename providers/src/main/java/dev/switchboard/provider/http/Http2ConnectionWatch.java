package dev.switchboard.provider.http;

import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamFailure;
import io.helidon.common.socket.SocketContext;
import io.helidon.webclient.http2.Http2ClientStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Ends the HTTP/2 calls whose connection is lost, which Helidon 4.5 does not: when a connection's socket
 * fails or the upstream sends {@code GOAWAY}, Helidon closes the connection but leaves the streams on it
 * waiting for frames that will never come, until their read timeout.
 *
 * <p>Design note. Every call is registered while it is in flight. Until its response head arrives it is
 * known only by destination (Helidon picks the connection inside the call); from then on by its
 * connection, which the head reveals along with the stream. Helidon's public API does not say whether a
 * connection is closed (its socket reports itself connected after Helidon closed the underlying socket),
 * so the watch asks the connection itself: every {@link #PROBE_INTERVAL} it sends a {@code PING} on each
 * connection that carries calls, through one of its streams, on a virtual thread of its own (a write may
 * wait behind others). Writing to a connection Helidon has closed fails at once; then every call on it is
 * aborted as {@link UpstreamFailure#MALFORMED} (a broken connection, retryable, as for HTTP/1.1), which
 * wakes its thread, and so are the calls of that destination still waiting for their head, since nearly
 * all were on the lost connection. An upstream answers a {@code PING} with an acknowledgement, which
 * Helidon drops; one a second per busy connection is far below what servers treat as a flood, and an idle
 * connection is not probed at all.
 *
 * <p>Two edges follow from what can be known: a call that started on a new connection within one probe
 * interval of the loss is aborted with them (and may be retried), and a lost connection that had not yet
 * delivered a single head is unknown here, so its calls end at their first-byte timeout. Thread-safe.
 */
final class Http2ConnectionWatch implements AutoCloseable {
    /** How often each connection carrying calls is probed: the longest a lost connection's calls wait. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final LongSupplier nanoClock = System::nanoTime;
    private final ConcurrentHashMap<String, Set<Call>> awaitingHead = new ConcurrentHashMap<>();
    /** By the connection's socket context, one per connection (compared by identity). */
    private final ConcurrentHashMap<SocketContext, Connection> connections = new ConcurrentHashMap<>();
    /** Guards adding a call to a connection against forgetting that connection as idle. */
    private final ReentrantLock entries = new ReentrantLock();

    private final ScheduledExecutorService checker;

    Http2ConnectionWatch() {
        this.checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-http2-connection-watch");
            thread.setDaemon(true);
            return thread;
        });
        long interval = PROBE_INTERVAL.toMillis();
        var unused = checker.scheduleWithFixedDelay(this::probeAll, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** One call in flight. */
    static final class Call {
        private final String destination;
        private final CallControl control;
        private final long startedNanos;
        private volatile @Nullable Connection connection;

        private Call(String destination, CallControl control, long startedNanos) {
            this.destination = destination;
            this.control = control;
            this.startedNanos = startedNanos;
        }
    }

    /** The calls on one connection, a stream to reach it through, and whether a probe is under way. */
    private record Connection(String destination, Http2ClientStream handle, Set<Call> calls, AtomicBoolean probing) {}

    /** Registers a call about to be sent to {@code destination}. */
    Call begin(String destination, CallControl control) {
        Call call = new Call(destination, control, nanoClock.getAsLong());
        awaitingHead
                .computeIfAbsent(destination, d -> ConcurrentHashMap.newKeySet())
                .add(call);
        return call;
    }

    /** The call's response head arrived on {@code stream}. */
    void headArrived(Call call, Http2ClientStream stream) {
        removeAwaiting(call);
        SocketContext socket = stream.ctx();
        // under the lock, so that a connection is never forgotten as idle while a call joins it
        entries.lock();
        try {
            Connection connection = connections.get(socket);
            if (connection == null) {
                connection =
                        new Connection(call.destination, stream, ConcurrentHashMap.newKeySet(), new AtomicBoolean());
                connections.put(socket, connection);
            }
            connection.calls().add(call);
            call.connection = connection;
        } finally {
            entries.unlock();
        }
    }

    /** The call ended; it is no longer watched. */
    void end(Call call) {
        Connection connection = call.connection;
        if (connection == null) {
            removeAwaiting(call);
        } else {
            connection.calls().remove(call);
        }
    }

    /** Connections carrying calls now, as far as the watch knows. */
    int connections() {
        return connections.size();
    }

    /** Probes every connection that carries calls; forgets those that carry none. */
    private void probeAll() {
        for (Map.Entry<SocketContext, Connection> entry : connections.entrySet()) {
            SocketContext socket = entry.getKey();
            Connection connection = entry.getValue();
            if (connection.calls().isEmpty()) {
                forgetIfIdle(socket, connection);
            } else if (connection.probing().compareAndSet(false, true)) {
                Thread.ofVirtual().name("switchboard-http2-probe").start(() -> probe(socket, connection));
            }
        }
    }

    private void forgetIfIdle(SocketContext socket, Connection connection) {
        entries.lock();
        try {
            if (connection.calls().isEmpty()) {
                connections.remove(socket, connection);
            }
        } finally {
            entries.unlock();
        }
    }

    private void probe(SocketContext socket, Connection connection) {
        try {
            connection.handle().sendPing();
        } catch (RuntimeException e) {
            // Helidon closed the connection (its socket failed, or the upstream said GOAWAY)
            if (connections.remove(socket, connection)) {
                lost(connection, nanoClock.getAsLong());
            }
        } finally {
            connection.probing().set(false);
        }
    }

    private void lost(Connection connection, long detectedNanos) {
        connection.calls().forEach(call -> call.control.abort(UpstreamFailure.MALFORMED));
        Set<Call> waiting = awaitingHead.get(connection.destination());
        if (waiting != null) {
            waiting.stream()
                    .filter(call -> call.startedNanos - detectedNanos < 0)
                    .forEach(call -> call.control.abort(UpstreamFailure.MALFORMED));
        }
    }

    private void removeAwaiting(Call call) {
        Set<Call> waiting = awaitingHead.get(call.destination);
        if (waiting != null) {
            waiting.remove(call);
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
