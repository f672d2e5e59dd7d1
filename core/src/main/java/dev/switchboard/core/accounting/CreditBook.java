package dev.switchboard.core.accounting;

import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.LimitReset;
import dev.switchboard.core.storage.CreditStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The spending room of workspaces and keys, held and released request by request: the one place where
 * "can this request be afforded" is decided, atomically.
 *
 * <p>Design note. Each workspace has, in memory, its credits (the sum of its ledger entries, read from
 * the {@link CreditStore} and re-read every {@link #CREDITS_REFRESH} so that grants made elsewhere, by
 * the CLI say, arrive), its settled usage, and what its running requests hold. Each key of it has its
 * spend in the current limit period and its own holds. {@link #reserve} checks the request's worst case
 * against both rooms and holds it, under the workspace's lock, so that no two requests can both take the
 * last of a room; {@link #settle} releases the hold and adds the actual cost, under the same lock. The
 * lock guards a few additions: contention costs nanoseconds, not a database round trip.
 *
 * <p>Durability. The generation record of a request is its usage debit; the store adds its cost to the
 * key's (and so the workspace's) totals in the transaction that stores it, and {@code settle} returns
 * only once that transaction committed (or the store is failing). So after a crash the stored totals
 * hold every answered request, and holds, which live only here, are gone with the process: none is
 * left behind. A request whose thread dies without settling has its hold dropped when it expires
 * ({@link Reservation#expiresAt()}), swept at most every {@link #SWEEP_EVERY}.
 *
 * <p>Several nodes (a later issue) need the same two operations over a shared store: reserve as a
 * compare-and-hold on the workspace's and the key's rows (one Redis script, or one PostgreSQL
 * transaction with the rows locked), settle as release-and-add; docs/ARCHITECTURE.md says which.
 *
 * <p>BYOK. A request served with the workspace's own key costs the credits only the BYOK fee, and its key
 * the fee plus, when the key's limit includes BYOK ({@code include_byok_in_limit}), what it cost at list
 * price; so a request holds its worst case against each room apart ({@link #reserve(String, ApiKey,
 * BigDecimal, BigDecimal, Instant)}), and settling books each its share.
 *
 * <p>A limit can be passed only by what a request costs beyond its worst case (a provider that ignores
 * {@code max_tokens}, or a prompt with more tokens than its estimate): never by concurrency.
 *
 * <p>Thread-safe.
 */
public final class CreditBook {
    static final Duration CREDITS_REFRESH = Duration.ofSeconds(5);
    static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

    private final CreditStore store;
    private final KeySpend keySpend;
    private final KeySpend byokSpend;
    private final Clock clock;
    private final boolean enforceCredits;
    private final Map<String, Workspace> workspaces = new ConcurrentHashMap<>();

    /** A key's stored spend (total, day, week, month), those records still queued for the store included. */
    @FunctionalInterface
    public interface KeySpend {
        UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart);
    }

    /**
     * @param enforceCredits whether a workspace's credits limit its requests; when false they are only
     *                       metered (key limits are always enforced)
     */
    public CreditBook(CreditStore store, KeySpend keySpend, Clock clock, boolean enforceCredits) {
        this(store, keySpend, (hash, day, week, month) -> UsageTotals.ZERO, clock, enforceCredits);
    }

    /**
     * @param byokSpend a key's stored BYOK spend at list price, which counts against its limit when the key
     *                  includes BYOK ({@code include_byok_in_limit})
     */
    public CreditBook(CreditStore store, KeySpend keySpend, KeySpend byokSpend, Clock clock, boolean enforceCredits) {
        this.store = store;
        this.keySpend = keySpend;
        this.byokSpend = byokSpend;
        this.clock = clock;
        this.enforceCredits = enforceCredits;
    }

    public boolean enforcesCredits() {
        return enforceCredits;
    }

    /** Why a request cannot be afforded; {@code available} is what was left, never negative. */
    public static final class Refusal extends RuntimeException {
        private final boolean keyLimit;
        private final BigDecimal available;

        Refusal(boolean keyLimit, BigDecimal available) {
            super(keyLimit ? "key limit" : "credits", null, false, false);
            this.keyLimit = keyLimit;
            this.available = available.max(BigDecimal.ZERO);
        }

        /** True when the key's own limit refused, false when the workspace's credits did. */
        public boolean keyLimit() {
            return keyLimit;
        }

        public BigDecimal available() {
            return available;
        }
    }

    /** Holds {@code amount} against the key's workspace and the key's limit alike. */
    public void reserve(String id, ApiKey key, BigDecimal amount, Instant expiresAt) {
        reserve(id, key, amount, amount, expiresAt);
    }

    /**
     * Holds {@code amount} against the key's workspace and {@code keyAmount} against the key's limit.
     *
     * @throws Refusal when either room is smaller than what is to be held in it, or the workspace's balance
     *         is not positive while credits are enforced
     */
    public void reserve(String id, ApiKey key, BigDecimal amount, BigDecimal keyAmount, Instant expiresAt) {
        Workspace workspace = workspace(key.workspaceId());
        Instant now = clock.instant();
        workspace.refreshCredits(now);
        workspace.lock.lock();
        try {
            workspace.sweep(now);
            KeyState state = workspace.key(key, now);
            if (enforceCredits) {
                BigDecimal room = workspace.room();
                if (room.signum() <= 0 || room.compareTo(amount) < 0) {
                    throw new Refusal(false, room);
                }
            }
            Optional<BigDecimal> keyRoom = state.room(key);
            if (keyRoom.isPresent()
                    && (keyRoom.get().signum() <= 0 || keyRoom.get().compareTo(keyAmount) < 0)) {
                throw new Refusal(true, keyRoom.get());
            }
            workspace.held = workspace.held.add(amount);
            state.held = state.held.add(keyAmount);
            workspace.holds.put(
                    id,
                    new Hold(
                            key.hash(),
                            amount,
                            keyAmount,
                            expiresAt,
                            state.periodStart,
                            key.spending().limit(),
                            key.spending().includeByokInLimit()));
        } finally {
            workspace.lock.unlock();
        }
    }

    /** Releases the hold {@code id} made and books {@code cost}, which no own key served. */
    public Optional<Standing> settle(String id, String workspaceId, BigDecimal cost) {
        return settle(id, workspaceId, cost, BigDecimal.ZERO);
    }

    /**
     * Releases the hold {@code id} made and books {@code cost} to the workspace and the key, and
     * {@code byokUpstream} (what a request served with the workspace's own key cost at list price) to the
     * key too when its limit includes BYOK; a second call for the same hold books nothing.
     *
     * @return where the workspace and the key stand after it (for spend alerts); empty for a second call
     */
    public Optional<Standing> settle(String id, String workspaceId, BigDecimal cost, BigDecimal byokUpstream) {
        Workspace workspace = workspace(workspaceId);
        workspace.lock.lock();
        try {
            Hold hold = workspace.holds.remove(id);
            if (hold == null) {
                return Optional.empty();
            }
            workspace.release(hold);
            workspace.usage = workspace.usage.add(cost);
            KeyState state = workspace.keys.get(hold.keyHash());
            BigDecimal keySpend = BigDecimal.ZERO;
            if (state != null && state.periodStart.equals(hold.periodStart())) {
                state.periodSpend = state.periodSpend.add(cost);
                if (hold.includeByok() && state.includeByok) {
                    state.periodSpend = state.periodSpend.add(byokUpstream);
                }
                keySpend = state.periodSpend;
            }
            return Optional.of(new Standing(
                    workspaceId,
                    workspace.credits,
                    workspace.usage,
                    hold.keyHash(),
                    hold.keyLimit(),
                    keySpend,
                    hold.periodStart(),
                    cost));
        } finally {
            workspace.lock.unlock();
        }
    }

    /**
     * Where a workspace and one of its keys stand right after a settlement.
     *
     * @param keyLimit       the key's limit when the request was admitted; empty for none
     * @param keySpend       the key's spend in its limit period (zero when the period turned meanwhile)
     * @param keyPeriodStart the start of that period (the epoch for a lifetime limit)
     * @param cost           what this settlement booked
     */
    public record Standing(
            String workspaceId,
            BigDecimal credits,
            BigDecimal usage,
            String keyHash,
            Optional<BigDecimal> keyLimit,
            BigDecimal keySpend,
            Instant keyPeriodStart,
            BigDecimal cost) {}

    /** The workspace's credits and usage as they stand, settled usage only (holds are not usage). */
    public Balance balance(String workspaceId) {
        Workspace workspace = workspace(workspaceId);
        workspace.refreshCredits(clock.instant());
        workspace.lock.lock();
        try {
            return new Balance(workspace.credits, workspace.usage, workspace.held);
        } finally {
            workspace.lock.unlock();
        }
    }

    /** Makes the next request re-read the workspace's credits (a grant was just added). */
    public void creditsChanged(String workspaceId) {
        Workspace workspace = workspaces.get(workspaceId);
        if (workspace != null) {
            workspace.creditsReadAt = Instant.MIN;
        }
    }

    /**
     * A workspace's money.
     *
     * @param credits what it was granted, less fees
     * @param usage   what its requests cost
     * @param held    what running requests hold
     */
    public record Balance(BigDecimal credits, BigDecimal usage, BigDecimal held) {
        public BigDecimal remaining() {
            return credits.subtract(usage);
        }
    }

    private Workspace workspace(String id) {
        return workspaces.computeIfAbsent(id, w -> new Workspace(w, store.usage(w)));
    }

    /**
     * A running request's hold: {@code amount} against its workspace's credits, {@code keyAmount} against
     * its key's limit.
     */
    private record Hold(
            String keyHash,
            BigDecimal amount,
            BigDecimal keyAmount,
            Instant expiresAt,
            Instant periodStart,
            Optional<BigDecimal> keyLimit,
            boolean includeByok) {}

    /** One workspace's state; every field but the lock is guarded by it. */
    private final class Workspace {
        private final ReentrantLock lock = new ReentrantLock();
        private final String id;
        private final Map<String, KeyState> keys = new HashMap<>();
        private final Map<String, Hold> holds = new HashMap<>();
        private volatile BigDecimal credits = BigDecimal.ZERO;
        private volatile Instant creditsReadAt = Instant.MIN;
        private BigDecimal usage;
        private BigDecimal held = BigDecimal.ZERO;
        private Instant sweptAt = Instant.MIN;

        Workspace(String id, BigDecimal usage) {
            this.id = id;
            this.usage = usage;
        }

        /** Re-reads the credits when they are older than {@link #CREDITS_REFRESH}; outside the lock. */
        void refreshCredits(Instant now) {
            if (Duration.between(creditsReadAt, now).compareTo(CREDITS_REFRESH) >= 0) {
                BigDecimal read = store.credits(id);
                credits = read;
                creditsReadAt = now;
            }
        }

        BigDecimal room() {
            return credits.subtract(usage).subtract(held);
        }

        KeyState key(ApiKey key, Instant now) {
            Instant periodStart = periodStart(key.spending().reset(), now);
            KeyState state = keys.get(key.hash());
            boolean limited = key.spending().limit().isPresent();
            boolean includeByok = key.spending().includeByokInLimit();
            if (state == null
                    || !state.reset.equals(key.spending().reset())
                    || (limited && !state.counted)
                    || (limited && state.includeByok != includeByok)) {
                // a key without a limit needs no spend; it is read (once) when the key gets one, and again
                // when its limit starts or stops counting BYOK
                BigDecimal heldBefore = state == null ? BigDecimal.ZERO : state.held;
                state = new KeyState(
                        key.spending().reset(),
                        periodStart,
                        limited ? stored(key, now) : BigDecimal.ZERO,
                        limited,
                        includeByok);
                state.held = heldBefore;
                keys.put(key.hash(), state);
            } else if (!state.periodStart.equals(periodStart)) {
                state.periodStart = periodStart;
                state.periodSpend = BigDecimal.ZERO;
            }
            return state;
        }

        private BigDecimal stored(ApiKey key, Instant now) {
            Instant day = LimitReset.DAILY.periodStart(now);
            Instant week = LimitReset.WEEKLY.periodStart(now);
            Instant month = LimitReset.MONTHLY.periodStart(now);
            UsageTotals credits = keySpend.usage(key.hash(), day, week, month);
            UsageTotals totals = key.spending().includeByokInLimit()
                    ? credits.plus(byokSpend.usage(key.hash(), day, week, month))
                    : credits;
            return key.spending()
                    .reset()
                    .map(reset -> switch (reset) {
                        case DAILY -> totals.daily();
                        case WEEKLY -> totals.weekly();
                        case MONTHLY -> totals.monthly();
                    })
                    .orElse(totals.total());
        }

        void release(Hold hold) {
            held = held.subtract(hold.amount());
            KeyState state = keys.get(hold.keyHash());
            if (state != null) {
                state.held = state.held.subtract(hold.keyAmount());
            }
        }

        void sweep(Instant now) {
            if (Duration.between(sweptAt, now).compareTo(SWEEP_EVERY) < 0) {
                return;
            }
            sweptAt = now;
            for (Iterator<Hold> it = holds.values().iterator(); it.hasNext(); ) {
                Hold hold = it.next();
                if (!now.isBefore(hold.expiresAt())) {
                    it.remove();
                    release(hold);
                }
            }
        }
    }

    /** A key's spend in its current limit period and what its running requests hold; guarded by its workspace's lock. */
    private static final class KeyState {
        private final Optional<LimitReset> reset;
        /** Whether {@code periodSpend} was read from the store (it is only for a key with a limit). */
        private final boolean counted;
        /** Whether {@code periodSpend} holds the key's BYOK spend at list price. */
        private final boolean includeByok;

        private Instant periodStart;
        private BigDecimal periodSpend;
        private BigDecimal held = BigDecimal.ZERO;

        KeyState(
                Optional<LimitReset> reset,
                Instant periodStart,
                BigDecimal periodSpend,
                boolean counted,
                boolean includeByok) {
            this.reset = reset;
            this.periodStart = periodStart;
            this.periodSpend = periodSpend;
            this.counted = counted;
            this.includeByok = includeByok;
        }

        /** What the key may still hold: its limit less its spend and holds; empty without a limit. */
        Optional<BigDecimal> room(ApiKey key) {
            return key.spending()
                    .limit()
                    .map(limit -> limit.subtract(periodSpend).subtract(held));
        }
    }

    /** The start of the key's current limit period; the epoch for a lifetime limit. */
    private static Instant periodStart(Optional<LimitReset> reset, Instant now) {
        return reset.map(r -> r.periodStart(now)).orElse(Instant.EPOCH);
    }
}
