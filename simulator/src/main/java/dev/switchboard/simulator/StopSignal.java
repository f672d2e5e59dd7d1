package dev.switchboard.simulator;

import io.helidon.webserver.CloseConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's waits (time to first token, pacing, hangs and stalls) in one place, so that
 * {@link UpstreamSimulator#close()} cuts every one of them short instead of leaving request
 * threads asleep for minutes. A wait cut short, or interrupted, drops the connection.
 *
 * <p>Thread-safe; waits park the request's virtual thread.
 */
final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);

    void fire() {
        stopped.countDown();
    }

    /**
     * Waits {@code duration} unless the simulator stops first.
     *
     * @throws CloseConnectionException if the simulator stops (or the thread is interrupted)
     */
    void sleep(Duration duration) {
        sleepNanos(duration.toNanos());
    }

    /** Like {@link #sleep(Duration)}, until {@link System#nanoTime()} reaches {@code deadline}. */
    void sleepUntil(long deadline) {
        sleepNanos(deadline - System.nanoTime());
    }

    private void sleepNanos(long nanos) {
        try {
            boolean stopping = nanos <= 0 ? stopped.getCount() == 0 : stopped.await(nanos, TimeUnit.NANOSECONDS);
            if (stopping) {
                throw new CloseConnectionException("upstream simulator stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloseConnectionException("upstream simulator interrupted", e);
        }
    }
}
