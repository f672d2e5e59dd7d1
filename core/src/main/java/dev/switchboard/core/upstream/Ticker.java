package dev.switchboard.core.upstream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One daemon thread that calls every registered task once per tick.
 *
 * <p>Design note. Timeouts and keep-alives are per request, but they are coarse (seconds). Scheduling
 * a timer per request would cost a queue operation under a lock and, whenever the new timer becomes
 * the earliest, a wake-up of the timer thread. At low concurrency that is once per request. Here,
 * registering is an add to a concurrent set and never wakes anyone. The ticker thread wakes every
 * tick (10 ms by default), whatever the request rate, and visits the registered tasks. Deadlines are
 * therefore honoured to within one tick.
 *
 * <p>A {@link #manual()} ticker has no thread: time moves only when its owner calls
 * {@link #tickOnce(long)}, which lets tests step through deadlines exactly, without sleeping.
 *
 * <p>Thread-safe. Tasks run on the ticker thread (or the caller of {@code tickOnce}) and must not block.
 */
public final class Ticker implements AutoCloseable {
    /** A task visited every tick. */
    public interface Task {
        /** Called once per tick; returns false to be unregistered. */
        boolean tick(long nowNanos);
    }

    private static final System.Logger LOG = System.getLogger(Ticker.class.getName());
    private final Set<Task> tasks = ConcurrentHashMap.newKeySet();
    /** Null for a manual ticker. */
    private final @Nullable Thread thread;

    private volatile boolean closed;

    /** A ticker whose own daemon thread visits the tasks every {@code tick}, at the time {@code nanoTime} gives. */
    public Ticker(Duration tick, LongSupplier nanoTime) {
        this.thread = Thread.ofPlatform().daemon().name("switchboard-ticker").start(() -> run(tick, nanoTime));
    }

    private Ticker() {
        this.thread = null;
    }

    /** A ticker on the system clock with a 10 ms tick. */
    public static Ticker start() {
        return new Ticker(Duration.ofMillis(10), System::nanoTime);
    }

    /** A ticker without a thread: tasks are visited only by {@link #tickOnce(long)}. */
    public static Ticker manual() {
        return new Ticker();
    }

    public void register(Task task) {
        tasks.add(task);
    }

    public void unregister(Task task) {
        tasks.remove(task);
    }

    /**
     * Visits every registered task once, at {@code nowNanos}, on the calling thread; does nothing once
     * closed.
     *
     * @throws IllegalStateException on a ticker with its own thread, whose tasks would then be visited
     *     by two threads at once
     */
    public void tickOnce(long nowNanos) {
        if (thread != null) {
            throw new IllegalStateException("tickOnce is for a manual ticker; this one has its own thread");
        }
        visitAll(nowNanos);
    }

    private void run(Duration tick, LongSupplier nanoTime) {
        while (!closed) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            visitAll(nanoTime.getAsLong());
        }
    }

    private void visitAll(long now) {
        if (closed) {
            return;
        }
        tasks.removeIf(task -> !tickSafely(task, now));
    }

    /** A task that throws is dropped: one bug must not end the thread that every timeout depends on. */
    private static boolean tickSafely(Task task, long now) {
        try {
            return task.tick(now);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "Ticker task " + task.getClass().getName() + " failed and was dropped: "
                            + e.getClass().getName());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
