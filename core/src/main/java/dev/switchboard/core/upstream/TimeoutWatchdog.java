package dev.switchboard.core.upstream;

import org.jspecify.annotations.Nullable;

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

        private Watch(CallControl control, Timeouts timeouts) {
            this.control = control;
            this.firstByteNanos = timeouts.firstByte().toNanos();
            this.idleNanos = timeouts.idle().toNanos();
            this.totalNanos = timeouts.total().toNanos();
        }

        @Override
        public boolean tick(long now) {
            if (control.abortReason().isPresent()) {
                return false;
            }
            UpstreamFailure expired = expired(now);
            if (expired != null) {
                control.abort(expired);
                return false;
            }
            return true;
        }

        private @Nullable UpstreamFailure expired(long now) {
            long sinceStart = now - control.startedNanos();
            if (sinceStart >= totalNanos) {
                return UpstreamFailure.TOTAL_TIMEOUT;
            }
            if (!control.firstByteSeen()) {
                return sinceStart >= firstByteNanos ? UpstreamFailure.FIRST_BYTE_TIMEOUT : null;
            }
            return now - control.lastActivityNanos() >= idleNanos ? UpstreamFailure.IDLE_TIMEOUT : null;
        }

        @Override
        public void close() {
            ticker.unregister(this);
        }
    }
}
