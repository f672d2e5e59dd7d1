package dev.switchboard.bench.streams;

/**
 * When each event of one stream was due, and so how late it came. The simulator paces content
 * chunks against an absolute schedule (content chunk {@code k} at its start plus {@code k}
 * intervals), writing the role chunk with the first content chunk and the finish, usage and
 * {@code [DONE]} right after the last. So the schedule is anchored at the arrival of the stream's
 * first event: content event {@code k} is due at the anchor plus {@code k} intervals, any other
 * event when the latest content event was due. An event's delay is its arrival minus that; a late
 * first event shows in the time to first event, not here, and shifts the anchor, which makes the
 * following events look early (negative delays, counted apart by {@link StreamTally}).
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
     * @return nanoseconds after its due time; negative when it came early
     */
    long delay(EventKind kind, long arrivedAt) {
        if (!anchored) {
            anchor = arrivedAt;
            anchored = true;
        }
        long slot = kind == EventKind.CONTENT ? content++ : Math.max(0, content - 1);
        return arrivedAt - (anchor + slot * intervalNanos);
    }

    /** Content events seen so far. */
    int contentEvents() {
        return content;
    }
}
