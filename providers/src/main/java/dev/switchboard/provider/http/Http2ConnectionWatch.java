package dev.switchboard.provider.http;

import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamFailure;
import io.helidon.common.socket.HelidonSocket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Ends the HTTP/2 calls whose connection is lost, which Helidon 4.5 does not: when a connection's socket
 * fails or the upstream sends {@code GOAWAY}, Helidon closes the connection but leaves the streams on it
 * waiting for frames that will never come, until their read timeout.
 *
 * <p>Design note. Every call is registered while it is in flight. Until its response head arrives it is
 * known only by destination (Helidon picks the connection inside the call); from then on by its
 * connection's socket, which the head reveals. Every {@value #CHECK_MILLIS} ms a checker thread looks at
 * each known socket; one that was closed is dropped, and every call on it is aborted as
 * {@link UpstreamFailure#MALFORMED} (a broken connection, retryable, as for HTTP/1.1), which wakes its
 * thread. The calls of that destination still waiting for their head are aborted too, since nearly all
 * were on the lost connection. Two edges follow from what can be known: a call that started on a new
 * connection within one check of the loss is aborted with them (and may be retried), and a lost connection
 * that had not yet delivered a single head is unknown here, so its calls end at their first-byte timeout.
 * A check costs one look per connection, not per call. Thread-safe.
 */
final class Http2ConnectionWatch implements AutoCloseable {
    static final long CHECK_MILLIS = 50;

    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Set<Call>> awaitingHead = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<HelidonSocket, Connection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker;

    Http2ConnectionWatch() {
        this.nanoClock = System::nanoTime;
        this.checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-http2-connection-watch");
            thread.setDaemon(true);
            return thread;
        });
        var unused = checker.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
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

    /** The calls on one connection, and where it leads. */
    private record Connection(String destination, Set<Call> calls) {}

    /** Registers a call about to be sent to {@code destination}. */
    Call begin(String destination, CallControl control) {
        Call call = new Call(destination, control, nanoClock.getAsLong());
        awaitingHead.computeIfAbsent(destination, d -> ConcurrentHashMap.newKeySet()).add(call);
        return call;
    }

    /** The call's response head arrived on {@code socket}. */
    void headArrived(Call call, HelidonSocket socket) {
        removeAwaiting(call);
        if (!socket.isConnected()) {
            call.control.abort(UpstreamFailure.MALFORMED);
            return;
        }
        Connection connection = connections.computeIfAbsent(
                socket, s -> new Connection(call.destination, ConcurrentHashMap.newKeySet()));
        connection.calls().add(call);
        call.connection = connection;
        // a socket closed from here on is seen by the next check, which finds the call on it
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

    /** Connections known to carry calls and still open. */
    int connections() {
        return connections.size();
    }

    /** Aborts the calls of every connection closed since the last check. */
    void check() {
        long now = nanoClock.getAsLong();
        for (Map.Entry<HelidonSocket, Connection> entry : connections.entrySet()) {
            if (!entry.getKey().isConnected() && connections.remove(entry.getKey(), entry.getValue())) {
                lost(entry.getValue(), now);
            }
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
