package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An adapter call on its own virtual thread, as the gateway makes it, so that a test can act on it
 * (move time, abort) while it is blocked upstream.
 */
final class BackgroundCall {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    private final Thread thread;

    private BackgroundCall(Callable<?> body) {
        this.thread = Thread.ofVirtual().name("adapter-call").start(() -> {
            try {
                body.call();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
    }

    static BackgroundCall start(Callable<?> body) {
        return new BackgroundCall(body);
    }

    /**
     * Waits until the call's thread is parked. Called once the upstream has the request (or once
     * events arrived), that means it is blocked reading the socket: a signal, where a pause would be a
     * guess.
     */
    void awaitBlocked() throws InterruptedException {
        await(() -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);
    }

    /** What the call threw, which must be a {@code type}; fails when it returned or is still running. */
    <T extends Throwable> T thrown(Class<T> type) throws Exception {
        Throwable thrown = outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(type);
        return type.cast(thrown);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within " + PATIENCE).isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
