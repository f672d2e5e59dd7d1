package dev.switchboard.provider.openai;

import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.Ticker;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake monotonic clock with a watchdog on a manual ticker: time moves only in {@link #advance}, and
 * every deadline it passes has fired before {@code advance} returns, whatever the machine's speed.
 */
final class ManualTime {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = Ticker.manual();
    private final TimeoutWatchdog watchdog = new TimeoutWatchdog(ticker);

    /** A call control on this clock. */
    CallControl call() {
        return new CallControl(nanos::get);
    }

    TimeoutWatchdog watchdog() {
        return watchdog;
    }

    /** Moves the clock by {@code step}, then lets the watchdog look at every watched call. */
    void advance(Duration step) {
        ticker.tickOnce(nanos.addAndGet(step.toNanos()));
    }
}
