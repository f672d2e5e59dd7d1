package dev.switchboard.core.upstream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

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
 * <p>Thread-safe. Tasks run on the ticker thread and must not block.
 */
public final class Ticker implements AutoCloseable {
    /** A task visited every tick. */
    public interface Task {
        /** @return false to be unregistered */
        boolean tick(long nowNanos);
    }

    private static final System.Logger LOG = System.getLogger(Ticker.class.getName());
    private final Set<Task> tasks = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoTime;
    private final Thread thread;
    private volatile boolean closed;

    public Ticker(Duration tick, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.thread = Thread.ofPlatform().daemon().name("switchboard-ticker").start(() -> run(tick));
    }

    /** A ticker on the system clock with a 10 ms tick. */
    public static Ticker start() {
        return new Ticker(Duration.ofMillis(10), System::nanoTime);
    }

    public void register(Task task) {
        tasks.add(task);
    }

    public void unregister(Task task) {
        tasks.remove(task);
    }

    private void run(Duration tick) {
        while (!closed) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = nanoTime.getAsLong();
            for (Task task : tasks) {
                if (!tickSafely(task, now)) {
                    tasks.remove(task);
                }
            }
        }
    }

    /** A task that throws is dropped: one bug must not end the thread that every timeout depends on. */
    private static boolean tickSafely(Task task, long now) {
        try {
            return task.tick(now);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Ticker task " + task.getClass().getName() + " failed and was dropped: "
                    + e.getClass().getName());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
