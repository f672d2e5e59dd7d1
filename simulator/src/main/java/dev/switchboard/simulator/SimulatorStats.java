package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What an {@link UpstreamSimulator} has seen, for tests to assert on: how many chat requests
 * arrived, how streams ended, and exactly what the last request carried.
 *
 * <p>Thread-safe. Counters are {@link LongAdder}s, cheap on the benchmark path; the last request
 * is one immutable snapshot swapped atomically, so its body and headers always belong together.
 * Counters only grow (except {@link #activeStreams()}) for the simulator's lifetime.
 */
public final class SimulatorStats {

    private final LongAdder requestsReceived = new LongAdder();
    private final LongAdder streamsCompleted = new LongAdder();
    private final LongAdder abortedStreams = new LongAdder();
    private final LongAdder activeStreams = new LongAdder();
    /** Client addresses (host and port) that sent a request: one per connection, up to a bound. */
    private final Set<String> connectionPeers = ConcurrentHashMap.newKeySet();

    private volatile LastRequest lastRequest = LastRequest.NONE;
    /** Test instrument: the {@code Authorization} of recent chat requests, oldest first; guarded by its lock. */
    private final ArrayDeque<String> authorizations = new ArrayDeque<>();

    private final ReentrantLock authorizationsLock = new ReentrantLock();
    private final ReentrantLock streamEndLock = new ReentrantLock();
    private final Condition streamEnded = streamEndLock.newCondition();

    SimulatorStats() {}

    /** {@return chat-completion requests received, including rejected and fault-injected ones} */
    public long requestsReceived() {
        return requestsReceived.sum();
    }

    /** {@return streams that ended normally with {@code data: [DONE]}} */
    public long streamsCompleted() {
        return streamsCompleted.sum();
    }

    /**
     * {@return streams the client abandoned} A write or flush failed because the client closed
     * the connection before the stream finished. Injected faults are not counted here.
     */
    public long abortedStreams() {
        return abortedStreams.sum();
    }

    /** {@return streaming responses in progress now, including those still waiting out their TTFT} */
    public long activeStreams() {
        return activeStreams.sum();
    }

    /**
     * {@return client connections that sent at least one request} Told apart by the client's address and
     * port, so an HTTP/2 connection counts once however many streams it carries. Counted up to
     * {@value #MAX_COUNTED_CONNECTIONS}; beyond that the count stays there, so that a soak does not grow the
     * simulator's memory with every connection it ever saw.
     */
    public int connections() {
        return connectionPeers.size();
    }

    static final int MAX_COUNTED_CONNECTIONS = 100_000;

    /** Records the connection a request came on; cheap when it is already known. */
    void recordConnection(String peer) {
        if (!connectionPeers.contains(peer) && connectionPeers.size() < MAX_COUNTED_CONNECTIONS) {
            connectionPeers.add(peer);
        }
    }

    /**
     * The body of the last chat request, if it was a JSON object (a bad body clears it).
     *
     * @return a deep copy the caller may modify freely
     */
    public Optional<ObjectNode> lastRequestBody() {
        return lastRequest.body().map(ObjectNode::deepCopy);
    }

    /**
     * The headers of the last chat request, names lower-cased, repeated values joined with
     * {@code ", "}.
     *
     * @return an immutable map, empty before the first request
     */
    public Map<String, String> lastRequestHeaders() {
        return lastRequest.headers();
    }

    /**
     * Test instrument: the {@code Authorization} header of each chat request, in order of arrival, the
     * last {@value #KEPT_AUTHORIZATIONS} at most ({@code ""} for a request without one), so that a test can
     * see which credential each of several attempts used.
     *
     * @return an immutable copy
     */
    public List<String> authorizations() {
        authorizationsLock.lock();
        try {
            return List.copyOf(authorizations);
        } finally {
            authorizationsLock.unlock();
        }
    }

    static final int KEPT_AUTHORIZATIONS = 1_000;

    /**
     * Blocks until at least {@code n} streams have been counted as aborted, so a test need not
     * sleep blindly while the simulator notices a disconnect on its next write.
     *
     * @param n       the count to wait for
     * @param timeout the longest to wait
     * @return {@code true} if the count was reached, {@code false} on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitAbortedStreams(long n, Duration timeout) throws InterruptedException {
        return await(abortedStreams, n, timeout);
    }

    /**
     * Blocks until at least {@code n} streams have completed. A client that stops reading at
     * {@code [DONE]} can get there a moment before the simulator has counted the stream.
     *
     * @param n       the count to wait for
     * @param timeout the longest to wait
     * @return {@code true} if the count was reached, {@code false} on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitCompletedStreams(long n, Duration timeout) throws InterruptedException {
        return await(streamsCompleted, n, timeout);
    }

    private boolean await(LongAdder counter, long n, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        streamEndLock.lock();
        try {
            while (counter.sum() < n) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = streamEnded.awaitNanos(remaining);
            }
            return true;
        } finally {
            streamEndLock.unlock();
        }
    }

    /** Records a chat request whose body parsed as a JSON object; the simulator never mutates it. */
    void recordRequest(ObjectNode body, Map<String, String> headers) {
        requestsReceived.increment();
        lastRequest = new LastRequest(Optional.of(body), Map.copyOf(headers));
        recordAuthorization(headers);
    }

    void recordUnparsableRequest(Map<String, String> headers) {
        requestsReceived.increment();
        lastRequest = new LastRequest(Optional.empty(), Map.copyOf(headers));
        recordAuthorization(headers);
    }

    private void recordAuthorization(Map<String, String> headers) {
        authorizationsLock.lock();
        try {
            if (authorizations.size() == KEPT_AUTHORIZATIONS) {
                authorizations.removeFirst();
            }
            authorizations.addLast(headers.getOrDefault("authorization", ""));
        } finally {
            authorizationsLock.unlock();
        }
    }

    void recordStreamStarted() {
        activeStreams.increment();
    }

    /** Counts the end of a stream; it is no longer active by the time its outcome is visible. */
    void recordStreamEnded(StreamOutcome outcome) {
        activeStreams.decrement();
        switch (outcome) {
            case COMPLETED -> countAndSignal(streamsCompleted);
            case ABORTED_BY_CLIENT -> countAndSignal(abortedStreams);
            case DROPPED -> {
                // neither completed nor abandoned by the client
            }
        }
    }

    private void countAndSignal(LongAdder counter) {
        streamEndLock.lock();
        try {
            counter.increment();
            streamEnded.signalAll();
        } finally {
            streamEndLock.unlock();
        }
    }

    /** How a stream ended. */
    enum StreamOutcome {
        /** {@code [DONE]} was written. */
        COMPLETED,
        /** A write failed: the client went away. */
        ABORTED_BY_CLIENT,
        /** The simulator ended it: an injected fault, or shutdown. */
        DROPPED
    }

    @Override
    public String toString() {
        return "SimulatorStats[requests=" + requestsReceived() + ", completed=" + streamsCompleted() + ", aborted="
                + abortedStreams() + ", active=" + activeStreams() + ", connections=" + connections() + "]";
    }

    private record LastRequest(Optional<ObjectNode> body, Map<String, String> headers) {
        static final LastRequest NONE = new LastRequest(Optional.empty(), Map.of());
    }
}
