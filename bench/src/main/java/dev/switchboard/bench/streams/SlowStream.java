package dev.switchboard.bench.streams;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One streamed chat completion on its own connection: connect, send the request, read the status,
 * the headers and the SSE events, and time each event against its {@link EventSchedule}.
 *
 * <p>Why plain blocking sockets on a virtual thread rather than an HTTP client: each stream's
 * thread takes an event's arrival time right after the socket read that brought it, with no queue,
 * executor or flow control between the socket and the clock; and a stream costs its socket, a
 * 2 KiB read buffer and a parked virtual thread, so one process holds 10,000 of them cheaply. The
 * JDK's HttpClient would read every connection on one selector thread and hand bodies over to
 * subscribers, which adds its own queueing to the very delays being measured. The HTTP it speaks
 * is the minimum for this job: one request per connection, chunked or counted bodies, no redirects,
 * no TLS.
 *
 * <p>Not thread-safe: one instance per stream, run by the stream's thread.
 */
final class SlowStream {
    /** The read buffer: an event is about 250 bytes, and a paced stream delivers one per read. */
    static final int BUFFER_BYTES = 2048;

    private final InetSocketAddress address;
    private final byte[] request;
    private final StreamsOptions options;
    private final StreamTally tally;
    private final EventSchedule schedule;
    private boolean inBandError;
    private boolean done;

    SlowStream(StreamsOptions options, InetSocketAddress address, byte[] request, StreamTally tally) {
        this.options = options;
        this.address = address;
        this.request = request;
        this.tally = tally;
        this.schedule = new EventSchedule(options.intervalNanos());
    }

    /** Runs the stream to its end and says how it ended; never throws for anything the peer does. */
    StreamOutcome run() {
        tally.streamStarted();
        long start = System.nanoTime();
        Socket socket = new Socket();
        try {
            if (!connect(socket)) {
                return StreamOutcome.CONNECT;
            }
            tally.streamOpened();
            try {
                return exchange(socket, start);
            } finally {
                tally.streamClosed();
            }
        } finally {
            closeQuietly(socket);
        }
    }

    private boolean connect(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) options.readTimeout().toMillis());
            socket.connect(address, (int) options.connectTimeout().toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private StreamOutcome exchange(Socket socket, long start) {
        try {
            return read(socket, start);
        } catch (SocketTimeoutException e) {
            return inBandError ? StreamOutcome.IN_BAND_ERROR : StreamOutcome.TIMEOUT;
        } catch (MalformedResponse e) {
            return inBandError ? StreamOutcome.IN_BAND_ERROR : StreamOutcome.MALFORMED;
        } catch (IOException e) {
            return inBandError ? StreamOutcome.IN_BAND_ERROR : StreamOutcome.EARLY_CLOSE;
        }
    }

    private StreamOutcome read(Socket socket, long start) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        ResponseInput in = new ResponseInput(socket.getInputStream(), BUFFER_BYTES);
        ResponseHead head = ResponseHead.read(in);
        tally.timeToFirstByte(in.firstByteAt() - start);
        if (!head.successful()) {
            return StreamOutcome.NON_2XX;
        }
        long deadline = start + deadlineNanos();
        SseScanner events = new SseScanner(new HttpBody(in, head));
        for (boolean first = true; events.next(); first = false) {
            long arrivedAt = in.readAt();
            if (first) {
                tally.timeToFirstEvent(arrivedAt - start);
            }
            received(EventKind.of(events.data(), events.length()), arrivedAt);
            if (arrivedAt - deadline > 0) {
                return inBandError ? StreamOutcome.IN_BAND_ERROR : StreamOutcome.TIMEOUT;
            }
        }
        return verdict();
    }

    private void received(EventKind kind, long arrivedAt) {
        tally.event(kind, schedule.delay(kind, arrivedAt));
        inBandError |= kind == EventKind.ERROR;
        done |= kind == EventKind.DONE;
    }

    private StreamOutcome verdict() {
        if (inBandError) {
            return StreamOutcome.IN_BAND_ERROR;
        }
        if (!done) {
            return StreamOutcome.MISSING_DONE;
        }
        return schedule.contentEvents() == options.events() ? StreamOutcome.COMPLETED : StreamOutcome.MISSING_EVENTS;
    }

    /** A stream may take twice its length plus one read timeout before it counts as timed out. */
    private long deadlineNanos() {
        return 2 * options.streamLength().toNanos() + options.readTimeout().toNanos();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the stream's outcome is already known; a failed close changes nothing
        }
    }
}
