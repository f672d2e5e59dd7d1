package dev.switchboard.core.upstream;

import static dev.switchboard.core.upstream.TimeoutWatchdogTest.awaitParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CallControlTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final CallControl control = new CallControl(nanos::get);

    @Test
    void firstAbortReasonWins() {
        control.abort(UpstreamFailure.IDLE_TIMEOUT);
        control.abort(UpstreamFailure.CANCELLED);
        control.abort(UpstreamFailure.TOTAL_TIMEOUT);

        assertThat(control.abortReason()).contains(UpstreamFailure.IDLE_TIMEOUT);
        CallControl.AbortedException e =
                catchThrowableOfType(CallControl.AbortedException.class, control::throwIfAborted);
        assertThat(e.reason()).isEqualTo(UpstreamFailure.IDLE_TIMEOUT);
    }

    @Test
    void notAbortedUntilSomebodyAborts() {
        assertThat(control.abortReason()).isEmpty();
        assertThatCode(control::throwIfAborted).doesNotThrowAnyException();
        assertThatCode(() -> {
                    control.enterIo();
                    control.exitIo();
                })
                .doesNotThrowAnyException();
    }

    @Test
    void enteringIoAfterAnAbortThrows() {
        control.abort(UpstreamFailure.CANCELLED);

        CallControl.AbortedException e = catchThrowableOfType(CallControl.AbortedException.class, control::enterIo);

        assertThat(e.reason()).isEqualTo(UpstreamFailure.CANCELLED);
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void theIdleClockRunsFromTheStartUntilTheFirstActivity() {
        // A watchdog check that sees the first byte sees an activity no older than the start, never the
        // clock's zero (a call once ended as idle 11 ms after it started: docs/PERFORMANCE.md, finding 9).
        assertThat(control.lastActivityNanos()).isEqualTo(control.startedNanos());
    }

    @Test
    void firstActivityMarksTheFirstByteAndLaterOnesOnlyActivity() {
        assertThat(control.firstByteSeen()).isFalse();
        assertThat(control.timeToFirstByteNanos()).isEqualTo(-1);

        nanos.addAndGet(250_000_000L);
        control.activity();
        nanos.addAndGet(100_000_000L);
        control.activity();

        assertThat(control.firstByteSeen()).isTrue();
        assertThat(control.timeToFirstByteNanos()).isEqualTo(250_000_000L);
        assertThat(control.lastActivityNanos()).isEqualTo(1_350_000_000L);
        assertThat(control.startedNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void abortOutsideTheIoBracketDoesNotInterruptTheThread() throws Exception {
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        CompletableFuture<Throwable> entered = new CompletableFuture<>();
        CountDownLatch aborted = new CountDownLatch(1);
        Thread io = Thread.ofVirtual().start(() -> {
            try {
                aborted.await();
            } catch (InterruptedException e) {
                interrupted.complete(true);
                return;
            }
            interrupted.complete(Thread.currentThread().isInterrupted());
            try {
                control.enterIo();
                entered.complete(null);
            } catch (RuntimeException e) {
                entered.complete(e);
            }
        });

        control.abort(UpstreamFailure.CANCELLED);
        aborted.countDown();
        io.join(5_000);

        assertThat(interrupted.get(1, TimeUnit.SECONDS)).isFalse();
        assertThat(entered.get(1, TimeUnit.SECONDS)).isInstanceOf(CallControl.AbortedException.class);
    }

    @Test
    void exitIoClearsAnInterruptThatLandedAfterTheRead() {
        control.enterIo();
        control.abort(UpstreamFailure.IDLE_TIMEOUT); // from the I/O thread itself: lands inside the bracket
        assertThat(Thread.currentThread().isInterrupted()).isTrue();

        control.exitIo();

        assertThat(Thread.interrupted()).as("interrupt cleared").isFalse();
        assertThat(control.abortReason()).contains(UpstreamFailure.IDLE_TIMEOUT);
    }

    @Test
    void abortInterruptsAVirtualThreadBlockedInASocketReadAndTheReadThrows() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Throwable> readOutcome = new CompletableFuture<>();
            CompletableFuture<Boolean> interruptedAfterExit = new CompletableFuture<>();
            CountDownLatch reading = new CountDownLatch(1);
            Thread io = Thread.ofVirtual().start(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 2_000);
                    InputStream in = socket.getInputStream();
                    control.enterIo();
                    try {
                        reading.countDown();
                        int b = in.read();
                        readOutcome.complete(new AssertionError("read returned " + b));
                    } catch (IOException e) {
                        readOutcome.complete(e);
                    } finally {
                        control.exitIo();
                        interruptedAfterExit.complete(Thread.currentThread().isInterrupted());
                    }
                } catch (IOException e) {
                    readOutcome.completeExceptionally(e);
                }
            });
            try (Socket accepted = server.accept()) { // never writes
                assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
                awaitParked(io);

                control.abort(UpstreamFailure.FIRST_BYTE_TIMEOUT);

                assertThat(readOutcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
                assertThat(interruptedAfterExit.get(1, TimeUnit.SECONDS)).isFalse();
                assertThat(control.abortReason()).contains(UpstreamFailure.FIRST_BYTE_TIMEOUT);
                io.join(5_000);
                assertThat(io.isAlive()).isFalse();
                assertThat(accepted.isConnected()).isTrue();
            }
        }
    }

    @Test
    void abortAfterExitIoDoesNotInterruptLaterWork() throws Exception {
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        CountDownLatch exited = new CountDownLatch(1);
        CountDownLatch abortedLatch = new CountDownLatch(1);
        Thread io = Thread.ofVirtual().start(() -> {
            control.enterIo();
            control.exitIo();
            exited.countDown();
            try {
                abortedLatch.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                return;
            }
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        assertThat(exited.await(5, TimeUnit.SECONDS)).isTrue();

        control.abort(UpstreamFailure.CANCELLED);
        abortedLatch.countDown();
        io.join(5_000);

        assertThat(interrupted.get()).isFalse();
    }
}
