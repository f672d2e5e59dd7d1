package dev.switchboard.core.pipeline;

import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Cancellation of a whole request, above the {@link CallControl} of each of its attempts. When the
 * client goes away the request is over: the attempt running is aborted, and no further attempt starts.
 * A timeout, in contrast, ends one attempt, and the request may move on to the next. Attempts may run
 * side by side (a hedge), so every control handed out is kept; a request makes a handful. Thread-safe:
 * the keep-alive writer cancels from another thread.
 */
public final class RequestCancellation {
    private final ReentrantLock lock = new ReentrantLock();
    private final LongSupplier nanoTime;
    private final List<CallControl> started = new ArrayList<>(2);
    private volatile boolean cancelled;

    public RequestCancellation(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A control for the next attempt; already aborted when the request was cancelled. */
    public CallControl nextAttempt() {
        CallControl control = new CallControl(nanoTime);
        lock.lock();
        try {
            started.add(control);
            if (cancelled) {
                control.abort(UpstreamFailure.CANCELLED);
            }
        } finally {
            lock.unlock();
        }
        return control;
    }

    /** The client went away: aborts the attempts running, if any, and every later one. */
    public void cancel() {
        lock.lock();
        try {
            cancelled = true;
            started.forEach(control -> control.abort(UpstreamFailure.CANCELLED));
        } finally {
            lock.unlock();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }
}
