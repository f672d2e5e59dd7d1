package dev.switchboard.core.limits;

import dev.switchboard.core.storage.CreditStore;
import dev.switchboard.core.storage.StorageException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each workspace was granted in all (the sum of its ledger's grants: {@link CreditStore#granted}),
 * cached per node, for the free models' daily limit.
 *
 * <p>Grants are only ever added and are positive, so the sum only grows: once it has reached an amount it
 * is never read again for that amount. Below it, it is re-read at most every {@link #REFRESH} (so that a
 * grant made elsewhere, by the CLI or another node, arrives) and at once after {@link #changed}. A failed
 * read keeps the last value and is retried after the same interval: the limit then stays where it was,
 * rather than failing requests. Thread-safe.
 */
public final class GrantedCredits {
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final CreditStore store;
    private final Clock clock;
    private final Map<String, Granted> byWorkspace = new ConcurrentHashMap<>();

    public GrantedCredits(CreditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Whether the workspace was granted at least {@code amount} USD in all. */
    public boolean atLeast(String workspaceId, BigDecimal amount) {
        Granted granted = byWorkspace.get(workspaceId);
        if (granted == null) {
            granted = byWorkspace.computeIfAbsent(workspaceId, w -> new Granted());
        }
        if (granted.sum.compareTo(amount) >= 0) {
            return true;
        }
        long now = clock.millis();
        if (now - granted.readAtMillis >= REFRESH.toMillis()) {
            granted.readAtMillis = now;
            try {
                granted.sum = store.granted(workspaceId);
            } catch (StorageException ignored) {
                // the last value stands until the next read; the storage's own reporting tells the operator
            }
        }
        return granted.sum.compareTo(amount) >= 0;
    }

    /** Makes the next question about the workspace read its grants again (one was just added). */
    public void changed(String workspaceId) {
        Granted granted = byWorkspace.get(workspaceId);
        if (granted != null) {
            granted.readAtMillis = Long.MIN_VALUE / 2;
        }
    }

    /** A workspace's cached sum and when it was read; racing readers may both read, which is harmless. */
    private static final class Granted {
        private volatile BigDecimal sum = BigDecimal.ZERO;
        private volatile long readAtMillis = Long.MIN_VALUE / 2;
    }
}
