package dev.switchboard.core.upstream;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Cancellation and deadline state of one upstream attempt, shared by the thread doing the upstream
 * I/O, the {@link TimeoutWatchdog} and the client-facing writer.
 *
 * <p>Design note. Upstream I/O is blocking, on virtual threads. Interrupting a virtual thread blocked
 * in {@code java.net.Socket} I/O closes that socket and makes the read throw, so one mechanism serves
 * every way an attempt ends early: first-byte, idle and total timeouts, and the client going away.
 * The interrupt must never land while the same thread writes to the client's socket (it would close
 * that one instead), so the I/O thread brackets each blocking upstream operation with
 * {@link #enterIo()} / {@link #exitIo()}, and {@link #abort} interrupts only inside that bracket,
 * under a lock. {@code exitIo} clears an interrupt that arrived just after the read returned; the
 * abort reason stays recorded and is seen by the next {@code enterIo}.
 *
 * <p>Thread-safe.
 */
public final class CallControl {
    private final ReentrantLock lock = new ReentrantLock();
    private final LongSupplier nanoTime;
    private final long startedNanos;
    private @Nullable Thread ioThread;
    private volatile @Nullable UpstreamFailure abortReason;
    private volatile long firstByteNanos;
    private volatile long lastActivityNanos;

    public CallControl(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.startedNanos = nanoTime.getAsLong();
        this.lastActivityNanos = startedNanos;
    }

    /** A control on the system's monotonic clock. */
    public static CallControl start() {
        return new CallControl(System::nanoTime);
    }

    /**
     * Marks the calling thread as blocked in upstream I/O until {@link #exitIo()}.
     *
     * @throws AbortedException when the attempt was already aborted
     */
    public void enterIo() {
        lock.lock();
        try {
            throwIfAborted();
            ioThread = Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the bracket opened by {@link #enterIo()}; clears a late interrupt meant for it. */
    public void exitIo() {
        lock.lock();
        try {
            ioThread = null;
            Thread.interrupted();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the attempt early; the first reason wins. Safe from any thread, any number of times. */
    public void abort(UpstreamFailure reason) {
        lock.lock();
        try {
            if (abortReason == null) {
                abortReason = reason;
            }
            if (ioThread != null) {
                ioThread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that an upstream event arrived; the first call also marks the first byte.
     *
     * <p>The last activity is written before the first byte: the watchdog reads the first byte and then
     * the last activity, so once it sees a first byte it sees that activity too (volatile writes are seen
     * in order). Written the other way round, a check landing between the two writes saw a first byte
     * with no activity since the clock's zero and ended the call as idle, 11 ms after it started (once in
     * about a million requests of the soak, docs/PERFORMANCE.md, finding 9).
     */
    public void activity() {
        long now = nanoTime.getAsLong();
        lastActivityNanos = now;
        if (firstByteNanos == 0) {
            firstByteNanos = now;
        }
    }

    /** The reason this attempt was aborted, if it was. */
    public Optional<UpstreamFailure> abortReason() {
        return Optional.ofNullable(abortReason);
    }

    /**
     * Returns normally unless the attempt was aborted.
     *
     * @throws AbortedException when the attempt was aborted
     */
    public void throwIfAborted() {
        UpstreamFailure reason = abortReason;
        if (reason != null) {
            throw new AbortedException(reason);
        }
    }

    public boolean firstByteSeen() {
        return firstByteNanos != 0;
    }

    public long startedNanos() {
        return startedNanos;
    }

    /** Nanoseconds from start to the first upstream event, or -1 before it. */
    public long timeToFirstByteNanos() {
        long first = firstByteNanos;
        return first == 0 ? -1 : first - startedNanos;
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** Thrown on the I/O thread when it finds its attempt aborted. */
    public static final class AbortedException extends RuntimeException {
        private final UpstreamFailure reason;

        public AbortedException(UpstreamFailure reason) {
            super(reason.metricTag(), null, false, false);
            this.reason = reason;
        }

        public UpstreamFailure reason() {
            return reason;
        }
    }
}
