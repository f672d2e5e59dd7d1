package dev.switchboard.bench.streams;

/**
 * When each event of one stream was due, and so how late it came. The simulator paces content
 * chunks against an absolute schedule (content chunk {@code k} at its start plus {@code k}
 * intervals), writing the role chunk with the first content chunk and the finish, usage and
 * {@code [DONE]} right after the last. So the schedule is anchored at the arrival of the stream's
 * first event: content event {@code k} is due at the anchor plus {@code k} intervals, any other
 * event when the latest content event was due; an event's delay is its arrival minus that.
 *
 * <p>An event that arrives before it is due shows that the anchor was late (the first event was
 * held up: a cold path, a connection being set up, a busy moment of the ramp). The anchor then moves
 * earlier to that event's schedule, so one late first event does not hide the delays of every event
 * after it; the early event is reported with its negative delay, and counted apart by
 * {@link StreamTally}. The first event's own lateness is in the time to first event, not here.
 *
 * <p>Not thread-safe: one per stream.
 */
final class EventSchedule {
    private final long intervalNanos;
    private long anchor;
    private boolean anchored;
    private int content;

    EventSchedule(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * The delay of an event of this kind arriving at {@code arrivedAt}.
     *
     * @param arrivedAt {@link System#nanoTime()} of its arrival
     * @return nanoseconds after its due time; negative when it came early, and then the schedule moves
     */
    long delay(EventKind kind, long arrivedAt) {
        long slot = kind == EventKind.CONTENT ? content++ : Math.max(0, content - 1);
        long offset = slot * intervalNanos;
        if (!anchored) {
            anchor = arrivedAt - offset;
            anchored = true;
        }
        long delay = arrivedAt - (anchor + offset);
        if (delay < 0) {
            anchor = arrivedAt - offset;
        }
        return delay;
    }

    /** Content events seen so far. */
    int contentEvents() {
        return content;
    }
}
