package dev.switchboard.server.chat;

import dev.switchboard.core.upstream.Ticker;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Sends keep-alive comments while a stream waits for its first upstream event, without costing
 * anything when the event comes quickly.
 *
 * <p>Design note. The request's thread reads the first upstream event itself; nothing is handed to
 * another thread on the fast path. {@link #start} registers a {@link Ticker} task due one keep-alive
 * interval later (no timer to schedule or cancel). Only when it is due does a virtual thread start,
 * which calls the sender once per interval (the sender commits
 * the 200 and writes the comment). The sender and {@link #stop()} run under one lock. While the
 * writer holds the response, the request's thread is blocked in its upstream read. Once {@code stop}
 * returns, the request's thread owns the response again, and the lock makes every write of the writer
 * visible to it. When the sender reports the client gone, the writer runs the {@code onGone} action
 * (which aborts the upstream call) and stops.
 */
final class KeepAlive implements Ticker.Task {
    private final ReentrantLock lock = new ReentrantLock();
    private final Ticker ticker;
    private final Duration interval;
    private final long dueNanos;
    private final BooleanSupplier sender;
    private final Runnable onGone;
    private volatile boolean stopped;
    private boolean gone;

    private KeepAlive(Ticker ticker, Duration interval, BooleanSupplier sender, Runnable onGone) {
        this.ticker = ticker;
        this.interval = interval;
        this.dueNanos = System.nanoTime() + interval.toNanos();
        this.sender = sender;
        this.onGone = onGone;
        ticker.register(this);
    }

    /**
     * @param sender sends one keep-alive; false when the client is gone
     * @param onGone run once, on the writer's thread, when the sender reports the client gone
     */
    static KeepAlive start(Ticker ticker, Duration interval, BooleanSupplier sender, Runnable onGone) {
        return new KeepAlive(ticker, interval, sender, onGone);
    }

    /** Starts the writer once the first keep-alive is due; runs on the ticker thread. */
    @Override
    public boolean tick(long nowNanos) {
        if (stopped) {
            return false;
        }
        if (nowNanos - dueNanos < 0) {
            return true;
        }
        Thread.ofVirtual().name("switchboard-keepalive").start(this::run);
        return false;
    }

    /** Stops sending; afterwards the caller owns the response. False when the client went away. */
    boolean stop() {
        ticker.unregister(this);
        lock.lock();
        try {
            stopped = true;
            return !gone;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (sendOnce()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return whether to keep going */
    private boolean sendOnce() {
        lock.lock();
        try {
            if (stopped) {
                return false;
            }
            if (!sender.getAsBoolean()) {
                gone = true;
                onGone.run();
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
