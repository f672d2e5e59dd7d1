package dev.switchboard.bench.streams;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The counters and latency histograms of one run, written by every stream's thread. Latencies are
 * kept in microseconds with three significant digits (HdrHistogram, resizing as needed); an event
 * that came before its schedule (which then moves, see {@link EventSchedule}) is recorded as 0 and
 * counted in {@link #earlyEvents()}.
 *
 * <p>Thread-safe: adders and concurrent histograms, no lock.
 */
final class StreamTally {
    private final LongAdder started = new LongAdder();
    private final LongAdder opened = new LongAdder();
    private final LongAdder open = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder contentEvents = new LongAdder();
    private final LongAdder doneStreams = new LongAdder();
    private final LongAdder early = new LongAdder();
    private final LongAccumulator earliest = new LongAccumulator(Math::min, 0);
    private final Map<StreamOutcome, LongAdder> outcomes = new EnumMap<>(StreamOutcome.class);
    private final ConcurrentHistogram delay = new ConcurrentHistogram(3);
    private final ConcurrentHistogram timeToFirstByte = new ConcurrentHistogram(3);
    private final ConcurrentHistogram timeToFirstEvent = new ConcurrentHistogram(3);

    StreamTally() {
        for (StreamOutcome outcome : StreamOutcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    void streamStarted() {
        started.increment();
    }

    void streamOpened() {
        opened.increment();
        open.increment();
    }

    void streamClosed() {
        open.decrement();
    }

    void streamEnded(StreamOutcome outcome) {
        adder(outcome).increment();
    }

    void event(EventKind kind, long delayNanos) {
        events.increment();
        if (kind == EventKind.CONTENT) {
            contentEvents.increment();
        } else if (kind == EventKind.DONE) {
            doneStreams.increment();
        }
        if (delayNanos < 0) {
            early.increment();
            earliest.accumulate(delayNanos);
        }
        delay.recordValue(Math.max(0, delayNanos) / 1000);
    }

    void timeToFirstByte(long nanos) {
        timeToFirstByte.recordValue(Math.max(0, nanos) / 1000);
    }

    void timeToFirstEvent(long nanos) {
        timeToFirstEvent.recordValue(Math.max(0, nanos) / 1000);
    }

    long started() {
        return started.sum();
    }

    /** Streams whose connection was made. */
    long opened() {
        return opened.sum();
    }

    /** Streams connected now and not yet ended. */
    long open() {
        return open.sum();
    }

    long events() {
        return events.sum();
    }

    long contentEvents() {
        return contentEvents.sum();
    }

    /** {@code [DONE]} events received (at most one per stream is expected). */
    long doneEvents() {
        return doneStreams.sum();
    }

    long earlyEvents() {
        return early.sum();
    }

    /** The earliest any event came by its schedule, in nanoseconds (0 or negative). */
    long earliestNanos() {
        return earliest.get();
    }

    /** Streams that ended so. */
    long count(StreamOutcome outcome) {
        return adder(outcome).sum();
    }

    /** Streams that ended with an error, of every kind. */
    long errors() {
        long sum = 0;
        for (StreamOutcome outcome : StreamOutcome.values()) {
            sum += outcome.failed() ? count(outcome) : 0;
        }
        return sum;
    }

    /** A copy of the per-event delays, microseconds. */
    Histogram delays() {
        return delay.copy();
    }

    /** A copy of the times from the start of connecting to the response's first byte, microseconds. */
    Histogram timesToFirstByte() {
        return timeToFirstByte.copy();
    }

    /** A copy of the times from the start of connecting to the first event, microseconds. */
    Histogram timesToFirstEvent() {
        return timeToFirstEvent.copy();
    }

    private LongAdder adder(StreamOutcome outcome) {
        LongAdder adder = outcomes.get(outcome);
        if (adder == null) {
            throw new IllegalStateException("no counter for " + outcome);
        }
        return adder;
    }
}
