package dev.switchboard.core.limits;

import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.model.chat.ChatRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@link RequestLimiter} of one node: every count in memory.
 *
 * <p>Design note. Request and token rates (a key's own {@code rate_limit}, and the configured rate of
 * every workspace) are GCRA buckets ({@link RateBucket}, its design note): a minute's allowance that
 * refills continuously, so there is no window edge to burst across and the wait when refused is exact.
 * {@link #admit} counts one request and the prompt's estimated tokens (one per four bytes of its text, as
 * the reservation estimates it; only when a token rate applies) in the key's buckets, then in the
 * workspace's; a refusal by the workspace gives the key's counts back. When the request ends, its
 * {@link Admission} replaces the estimate with the tokens used, prompt and completion ({@link RateBucket#adjust}).
 * A request counts once it is admitted, whatever happens to it after; its estimated tokens are given back
 * when it is refused later (404, 402) or nothing was sent.
 *
 * <p>The free models' limits ({@link FreeModelLimits}) are checked once the plan is known: a plan with a
 * free model counts one free-model request, and when that is refused a plan that also has paid models
 * goes on with those alone (as OpenRouter falls back to the next model after a free model's 429),
 * while a plan of free models only is refused.
 *
 * <p>Cost per request: with no rate configured for the key or its workspace, nothing but two field reads
 * (and, for the free models, one pass over the plan's attempts); otherwise a map lookup per bucket owner
 * and a compare-and-set per bucket, no lock, and one small allocation (the admission) only when a token
 * rate applies. Memory: one entry per key with a rate limit and per workspace, created at its first
 * request (two buckets, about 100 bytes; a deleted key's stays until restart).
 *
 * <p>Time comes from the injected {@link Clock} (milliseconds), so tests move it. Thread-safe.
 */
public final class LocalRequestLimiter implements RequestLimiter {
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final Clock clock;
    private final TokenEstimator estimator;
    private final RateLimit perWorkspace;
    private final @Nullable FreeModelLimits freeModels;
    private final Map<String, Rates> keys = new ConcurrentHashMap<>();
    private final Map<String, Rates> workspaces = new ConcurrentHashMap<>();

    /**
     * @param perWorkspace the rate every workspace may use, its keys together ({@link RateLimit#NONE}: none)
     * @param freeModels   where grants are read for the free models' daily limit; empty: free models are
     *                     not limited
     */
    public LocalRequestLimiter(
            Clock clock, TokenEstimator estimator, RateLimit perWorkspace, Optional<GrantedCredits> freeModels) {
        this.clock = clock;
        this.estimator = estimator;
        this.perWorkspace = perWorkspace;
        this.freeModels = freeModels.map(FreeModelLimits::new).orElse(null);
    }

    @Override
    public Admission admit(ApiKey key, ChatRequest request) {
        RateLimit own = key.rateLimit();
        if (!own.limited() && !perWorkspace.limited()) {
            return Admission.NONE;
        }
        long now = clock.millis() * NANOS_PER_MILLI;
        boolean countsTokens = own.tokensPerMinute().isPresent()
                || perWorkspace.tokensPerMinute().isPresent();
        long estimate = countsTokens ? estimator.promptTokensByLength(request.messages()) : 0;
        Rates keyRates = null;
        if (own.limited()) {
            keyRates = rates(keys, key.hash());
            RateLimitExceeded refusal = keyRates.take(now, own, estimate, RateScope.KEY);
            if (refusal != null) {
                throw refusal;
            }
        }
        Rates workspaceRates = null;
        if (perWorkspace.limited()) {
            workspaceRates = rates(workspaces, key.workspaceId());
            RateLimitExceeded refusal = workspaceRates.take(now, perWorkspace, estimate, RateScope.WORKSPACE);
            if (refusal != null) {
                if (keyRates != null) {
                    keyRates.giveBack(now, own, estimate);
                }
                throw refusal;
            }
        }
        return countsTokens ? new TokenCharge(keyRates, own, workspaceRates, estimate) : Admission.NONE;
    }

    @Override
    public RoutePlan admitPlan(ApiKey key, RoutePlan plan) {
        if (freeModels == null || !FreeModels.anyFree(plan)) {
            return plan;
        }
        RateLimitExceeded refusal = freeModels.take(key.workspaceId(), clock.millis());
        if (refusal == null) {
            return plan;
        }
        List<Attempt> paid = FreeModels.paidAttempts(plan);
        if (paid.isEmpty()) {
            throw refusal;
        }
        return new RoutePlan(paid, plan.caller(), plan.conversation());
    }

    @Override
    public FreeModelUsage freeModelUsage(String workspaceId) {
        return freeModels == null ? FreeModelUsage.UNLIMITED : freeModels.usage(workspaceId, clock.millis());
    }

    private static Rates rates(Map<String, Rates> owners, String owner) {
        Rates rates = owners.get(owner);
        return rates != null ? rates : owners.computeIfAbsent(owner, o -> new Rates());
    }

    /** The tokens an admitted request was counted for, in the buckets that counted them. */
    private final class TokenCharge implements Admission {
        private final @Nullable Rates key;
        private final RateLimit keyLimit;
        private final @Nullable Rates workspace;
        private final long estimate;

        TokenCharge(@Nullable Rates key, RateLimit keyLimit, @Nullable Rates workspace, long estimate) {
            this.key = key;
            this.keyLimit = keyLimit;
            this.workspace = workspace;
            this.estimate = estimate;
        }

        @Override
        public void settle(long tokens) {
            long delta = Math.max(tokens, 0) - estimate;
            if (delta == 0) {
                return;
            }
            long now = clock.millis() * NANOS_PER_MILLI;
            if (key != null && keyLimit.tokensPerMinute().isPresent()) {
                key.adjustTokens(now, keyLimit.tokensPerMinute().getAsLong(), delta);
            }
            if (workspace != null && perWorkspace.tokensPerMinute().isPresent()) {
                workspace.adjustTokens(now, perWorkspace.tokensPerMinute().getAsLong(), delta);
            }
        }
    }
}
