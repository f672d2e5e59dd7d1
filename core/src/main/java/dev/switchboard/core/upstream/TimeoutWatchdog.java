package dev.switchboard.core.upstream;

/**
 * Enforces first-byte, idle and total timeouts of upstream attempts by aborting their
 * {@link CallControl}.
 *
 * <p>Design note. Each watched attempt is a {@link Ticker} task. Starting and ending a watch is an
 * add and a remove on a concurrent set, with no timer to schedule or cancel. Every tick, each task
 * compares the clock with its attempt's activity: before the first byte against the first-byte
 * deadline, after it against the idle deadline, and always against the total deadline. Timeouts
 * fire within one tick of their deadline. Connect timeouts are left to the socket.
 *
 * <p>A tick visits every open attempt, so with thousands of streams open it must cost almost nothing
 * per attempt: once its attempt's first byte has arrived, a watch remembers the earliest deadline it
 * computed and, until then, answers with one comparison, without reading the attempt's state (docs/PERFORMANCE.md, finding 10).
 *
 * <p>Thread-safe; one instance serves the whole process.
 */
public final class TimeoutWatchdog implements AutoCloseable {
    private final Ticker ticker;
    private final boolean ownsTicker;

    /** A watchdog on a shared ticker. */
    public TimeoutWatchdog(Ticker ticker) {
        this.ticker = ticker;
        this.ownsTicker = false;
    }

    /** A watchdog with its own ticker (10 ms). */
    public TimeoutWatchdog() {
        this.ticker = Ticker.start();
        this.ownsTicker = true;
    }

    /** Starts watching an attempt; close the returned handle when the attempt ends. */
    public Watch watch(CallControl control, Timeouts timeouts) {
        Watch watch = new Watch(control, timeouts);
        ticker.register(watch);
        return watch;
    }

    @Override
    public void close() {
        if (ownsTicker) {
            ticker.close();
        }
    }

    /** One watched attempt. */
    public final class Watch implements AutoCloseable, Ticker.Task {
        private final CallControl control;
        private final long firstByteNanos;
        private final long idleNanos;
        private final long totalNanos;
        /**
         * No deadline can have passed before this time. Once the first byte has arrived it is the earlier
         * of the idle and total deadlines as they stood at the last check; before it, the last check
         * itself. Read and written by the ticker's thread only.
         */
        private long nextCheckNanos;

        private Watch(CallControl control, Timeouts timeouts) {
            this.control = control;
            this.firstByteNanos = timeouts.firstByte().toNanos();
            this.idleNanos = timeouts.idle().toNanos();
            this.totalNanos = timeouts.total().toNanos();
            this.nextCheckNanos = control.startedNanos();
        }

        @Override
        public boolean tick(long now) {
            if (now - nextCheckNanos < 0) {
                return true;
            }
            if (control.abortReason().isPresent()) {
                return false;
            }
            long started = control.startedNanos();
            long totalDeadline = started + totalNanos;
            if (now - totalDeadline >= 0) {
                control.abort(UpstreamFailure.TOTAL_TIMEOUT);
                return false;
            }
            boolean waitingForFirstByte = !control.firstByteSeen();
            long deadline = waitingForFirstByte ? started + firstByteNanos : control.lastActivityNanos() + idleNanos;
            if (now - deadline >= 0) {
                control.abort(waitingForFirstByte ? UpstreamFailure.FIRST_BYTE_TIMEOUT : UpstreamFailure.IDLE_TIMEOUT);
                return false;
            }
            // Before the first byte, the idle deadline could start at any moment: look again next tick.
            // After it, activity only moves the idle deadline later, so nothing can expire before the
            // earlier of the two deadlines as they stand now.
            nextCheckNanos = waitingForFirstByte ? now : (deadline - totalDeadline < 0 ? deadline : totalDeadline);
            return true;
        }

        @Override
        public void close() {
            ticker.unregister(this);
        }
    }
}
