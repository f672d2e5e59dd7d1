package dev.switchboard.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog on a manual ticker and a fake monotonic clock shared with the calls: the test moves
 * time and ticks once, on its own thread, so every case is decided before the assertion runs and none
 * depends on how fast the machine is.
 */
class TimeoutWatchdogTest {
    private static final Timeouts TIMEOUTS =
            new Timeouts(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(60), Duration.ofSeconds(600));
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = Ticker.manual();
    private final TimeoutWatchdog watchdog = new TimeoutWatchdog(ticker);

    @AfterEach
    void stop() {
        watchdog.close();
        ticker.close();
    }

    @Test
    void abortsWithFirstByteTimeoutWhenNothingArrives() {
        CallControl control = call();
        watchdog.watch(control, TIMEOUTS);

        advance(Duration.ofMinutes(2).minusNanos(1));
        assertThat(control.abortReason()).isEmpty();
        advance(Duration.ofNanos(1));

        assertThat(control.abortReason()).contains(UpstreamFailure.FIRST_BYTE_TIMEOUT);
    }

    @Test
    void abortsWithIdleTimeoutWhenTheStreamFallsSilent() {
        CallControl control = call();
        watchdog.watch(control, TIMEOUTS);
        advance(Duration.ofSeconds(100));
        control.activity();

        advance(Duration.ofSeconds(60).minusNanos(1));
        assertThat(control.abortReason())
                .as("the first-byte deadline no longer applies")
                .isEmpty();
        advance(Duration.ofNanos(1));

        assertThat(control.abortReason()).contains(UpstreamFailure.IDLE_TIMEOUT);
    }

    @Test
    void idleTimeoutShorterThanFirstByteTimeoutIsEnforcedOnTime() {
        CallControl control = call();
        watchdog.watch(control, TIMEOUTS);
        control.activity(); // the first byte comes at once, then the stream falls silent

        advance(Duration.ofSeconds(60));

        assertThat(control.abortReason())
                .as("idle limit, long before the first-byte limit")
                .contains(UpstreamFailure.IDLE_TIMEOUT);
    }

    @Test
    void activityPostponesTheIdleTimeout() {
        CallControl control = call();
        watchdog.watch(control, TIMEOUTS);

        for (int i = 0; i < 10; i++) {
            advance(Duration.ofSeconds(50));
            control.activity();
        }
        advance(Duration.ofSeconds(59));
        assertThat(control.abortReason())
                .as("no abort while chunks keep coming")
                .isEmpty();

        advance(Duration.ofSeconds(1));
        assertThat(control.abortReason()).contains(UpstreamFailure.IDLE_TIMEOUT);
    }

    @Test
    void aWatchThatSkipsTicksUntilItsDeadlineStillSeesTheActivityInBetween() {
        CallControl control = call();
        watchdog.watch(control, TIMEOUTS);
        advance(Duration.ofSeconds(1));
        control.activity(); // the first byte: idle deadline at 61 s
        advance(Duration.ofMillis(10)); // a look: nothing can expire before 61 s

        for (int i = 0; i < 100; i++) { // ticks that skip the call, up to 30.01 s
            advance(Duration.ofMillis(290));
        }
        control.activity(); // idle deadline now at 90.01 s
        advance(Duration.ofMillis(30_990)); // 61 s
        assertThat(control.abortReason())
                .as("at the old idle deadline the watch sees the newer activity")
                .isEmpty();

        advance(Duration.ofMillis(29_010).minusNanos(1));
        assertThat(control.abortReason()).isEmpty();
        advance(Duration.ofNanos(1));
        assertThat(control.abortReason()).contains(UpstreamFailure.IDLE_TIMEOUT);
    }

    @Test
    void abortsWithTotalTimeoutEvenWhileChunksKeepComing() {
        CallControl control = call();
        watchdog.watch(control, TIMEOUTS);

        for (int i = 0; i < 11; i++) {
            advance(Duration.ofSeconds(50));
            control.activity();
        }
        assertThat(control.abortReason()).isEmpty();
        advance(Duration.ofSeconds(50));

        assertThat(control.abortReason()).contains(UpstreamFailure.TOTAL_TIMEOUT);
    }

    @Test
    void totalTimeoutShorterThanFirstByteWins() {
        CallControl control = call();
        watchdog.watch(
                control,
                new Timeouts(
                        Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(60), Duration.ofSeconds(30)));

        advance(Duration.ofSeconds(30));

        assertThat(control.abortReason()).contains(UpstreamFailure.TOTAL_TIMEOUT);
    }

    @Test
    void closingTheWatchPreventsAborts() {
        CallControl control = call();
        TimeoutWatchdog.Watch watch = watchdog.watch(control, TIMEOUTS);

        watch.close();
        advance(Duration.ofHours(1));

        assertThat(control.abortReason()).isEmpty();
    }

    @Test
    void closingTheWatchMidStreamPreventsTheIdleAbort() {
        CallControl control = call();
        TimeoutWatchdog.Watch watch = watchdog.watch(control, TIMEOUTS);
        control.activity();
        advance(Duration.ofSeconds(30));

        watch.close();
        advance(Duration.ofSeconds(90));

        assertThat(control.abortReason()).isEmpty();
    }

    @Test
    void anAbortedCallIsNotAbortedAgainWithAnotherReason() {
        CallControl control = call();
        watchdog.watch(control, TIMEOUTS);

        control.abort(UpstreamFailure.CANCELLED);
        advance(Duration.ofHours(1));

        assertThat(control.abortReason()).contains(UpstreamFailure.CANCELLED);
    }

    @Test
    void oneWatchdogServesManyCallsIndependently() {
        CallControl quiet = call();
        CallControl chatty = call();
        watchdog.watch(quiet, TIMEOUTS);
        watchdog.watch(chatty, TIMEOUTS);
        advance(Duration.ofSeconds(100));
        CallControl late = call();
        watchdog.watch(late, TIMEOUTS);
        chatty.activity();

        advance(Duration.ofSeconds(20));

        assertThat(quiet.abortReason()).contains(UpstreamFailure.FIRST_BYTE_TIMEOUT);
        assertThat(chatty.abortReason()).isEmpty();
        assertThat(late.abortReason()).as("its own start counts").isEmpty();
    }

    @Test
    void firstByteTimeoutUnblocksAVirtualThreadReadingASilentSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CallControl control = call();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CountDownLatch inBracket = new CountDownLatch(1);
            Thread reader = Thread.ofVirtual().start(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 2_000);
                    InputStream in = socket.getInputStream();
                    control.enterIo();
                    try {
                        inBracket.countDown();
                        in.read();
                        outcome.complete(null);
                    } finally {
                        control.exitIo();
                    }
                } catch (IOException | RuntimeException e) {
                    outcome.complete(e);
                }
            });
            try (Socket silent = server.accept();
                    TimeoutWatchdog.Watch ignored = watchdog.watch(control, TIMEOUTS)) {
                assertThat(inBracket.await(5, TimeUnit.SECONDS)).isTrue();
                awaitParked(reader);

                advance(Duration.ofMinutes(2));

                assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
                assertThat(control.abortReason()).contains(UpstreamFailure.FIRST_BYTE_TIMEOUT);
                assertThat(silent.isClosed()).isFalse();
            }
        }
    }

    @Test
    void defaultWatchdogRunsOnTheSystemClock() {
        try (TimeoutWatchdog real = new TimeoutWatchdog()) {
            CallControl control = CallControl.start();
            long started = System.nanoTime();

            real.watch(
                    control,
                    new Timeouts(
                            Duration.ofSeconds(1),
                            Duration.ofMillis(100),
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(60)));

            await(() -> control.abortReason().isPresent(), Duration.ofSeconds(5));
            assertThat(control.abortReason()).contains(UpstreamFailure.FIRST_BYTE_TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }
    }

    private CallControl call() {
        return new CallControl(nanos::get);
    }

    /** Moves the clock, then has the ticker visit every task at the new time. */
    private void advance(Duration step) {
        ticker.tickOnce(nanos.addAndGet(step.toNanos()));
    }

    /**
     * Waits until a virtual thread inside an I/O bracket has parked, which there means it is blocked in
     * its read: a positive signal, where a fixed pause would only hope for it.
     */
    static void awaitParked(Thread thread) {
        await(
                () -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING,
                Duration.ofSeconds(5));
    }

    static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
