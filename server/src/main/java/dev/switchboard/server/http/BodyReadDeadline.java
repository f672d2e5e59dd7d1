package dev.switchboard.server.http;

import dev.switchboard.core.upstream.Ticker;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the time a request body may take to arrive, so that a client which sends headers and then
 * nothing (or trickles) cannot hold a connection and a handler thread indefinitely.
 *
 * <p>Design note. The web server reads bodies with blocking socket reads on the request's virtual
 * thread, and interrupting a virtual thread blocked in socket I/O closes that socket. A body read is
 * bracketed by {@link #watch()} and {@link Watch#close()}; the shared {@link Ticker} visits each open
 * watch and, once its deadline has passed, interrupts the reading thread, but only while it is still
 * inside the bracket, under a lock, so the interrupt never lands on a later write to the client. The
 * connection is then gone, so nothing can be answered: the reader sees {@link Watch#expired()} and the
 * exchange ends by closing the connection. A late interrupt is cleared when the bracket closes.
 *
 * <p>Thread-safe; one instance serves the whole server.
 */
public final class BodyReadDeadline {
    private final Ticker ticker;
    private final long timeoutNanos;
    private final LongSupplier nanoTime;

    public BodyReadDeadline(Ticker ticker, Duration timeout, LongSupplier nanoTime) {
        this.ticker = ticker;
        this.timeoutNanos = timeout.toNanos();
        this.nanoTime = nanoTime;
    }

    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /** Starts timing a body read on the calling thread; close the watch when the read is over. */
    public Watch watch() {
        Watch watch = new Watch(Thread.currentThread(), nanoTime.getAsLong() + timeoutNanos);
        ticker.register(watch);
        return watch;
    }

    /** One body read in progress. */
    public final class Watch implements Ticker.Task, AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();
        private final long deadlineNanos;
        private @Nullable Thread reader;
        private volatile boolean expired;

        private Watch(Thread reader, long deadlineNanos) {
            this.reader = reader;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public boolean tick(long nowNanos) {
            if (nowNanos - deadlineNanos < 0) {
                return true;
            }
            lock.lock();
            try {
                if (reader != null) {
                    expired = true;
                    reader.interrupt();
                }
                return false;
            } finally {
                lock.unlock();
            }
        }

        /** True when the deadline passed while the body was still being read; the connection is closed then. */
        public boolean expired() {
            return expired;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                reader = null;
                Thread.interrupted();
            } finally {
                lock.unlock();
            }
            ticker.unregister(this);
        }
    }
}
