package dev.switchboard.server.iolog;

import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.storage.IoLogStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stores the content of logged requests off the request path and deletes what is past its retention.
 *
 * <p>Design note. A finished request offers its entry to a bounded queue ({@value #QUEUE} entries; a
 * full queue drops the entry with a log line naming only its generation id, never blocking a request);
 * one virtual thread stores them, and once an hour (and at start) deletes the entries older than
 * {@code io_logging.retention}. With logging configured for nobody, nothing is started.
 *
 * <p>Thread-safe.
 */
public final class IoLogWriter implements AutoCloseable {
    static final int QUEUE = 1000;
    private static final System.Logger LOG = System.getLogger(IoLogWriter.class.getName());
    private static final Duration SWEEP_EVERY = Duration.ofHours(1);

    private final IoLogStore store;
    private final GatewayConfig.IoLogging config;
    private final Clock clock;
    private final BlockingQueue<IoLogStore.Entry> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;

    public IoLogWriter(IoLogStore store, GatewayConfig.IoLogging config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.writer = Thread.ofVirtual().name("switchboard-io-log").unstarted(this::run);
        if (config.enabled()) {
            writer.start();
        }
    }

    public GatewayConfig.IoLogging config() {
        return config;
    }

    /** Queues an entry to be stored. */
    public void offer(IoLogStore.Entry entry) {
        if (!queue.offer(entry)) {
            LOG.log(Level.WARNING, "input/output log queue full; not stored: {0}", entry.generationId());
        }
    }

    private void run() {
        long nextSweep = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (System.nanoTime() - nextSweep >= 0) {
                    sweep();
                    nextSweep = System.nanoTime() + SWEEP_EVERY.toNanos();
                }
                IoLogStore.Entry entry = queue.poll(1, TimeUnit.MINUTES);
                if (entry != null) {
                    store(entry);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes what is past its retention; public for the operator's tests of a retention. */
    public int sweep() {
        try {
            return store.deleteBefore(clock.instant().minus(config.retention()));
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "input/output log retention sweep failed: {0}",
                    e.getClass().getSimpleName());
            return 0;
        }
    }

    private void store(IoLogStore.Entry entry) {
        try {
            store.insert(entry);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "input/output log not stored: {0} ({1})",
                    entry.generationId(),
                    e.getClass().getSimpleName());
        }
    }

    /** Waits until every queued entry is stored (for tests and a graceful stop), at most {@code limit}. */
    public void drain(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        writer.interrupt();
        IoLogStore.Entry entry;
        while ((entry = queue.poll()) != null) {
            store(entry);
        }
    }
}
