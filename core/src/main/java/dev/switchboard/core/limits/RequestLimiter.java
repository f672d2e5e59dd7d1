package dev.switchboard.core.limits;

import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.model.chat.ChatRequest;

/**
 * Decides whether a request may start, before anything is reserved, refusing with 429
 * ({@link RateLimitExceeded}): the key's and the workspace's request and token rates before the request
 * is planned ({@link #admit}), the free models' limits once the plan says which models it may use
 * ({@link #admitPlan}). Runs on every request, so implementations answer from memory in constant time.
 * {@link LocalRequestLimiter} keeps the counts of one node; several nodes need one shared store
 * (docs/ARCHITECTURE.md says which operations must be atomic there). Thread-safe.
 */
public interface RequestLimiter {
    /**
     * Lets the request start as far as request and token rates go, counting it, or refuses it.
     *
     * @return what to settle when the request ends
     * @throws RateLimitExceeded when the key or its workspace may not start a request now
     */
    Admission admit(ApiKey key, ChatRequest request);

    /**
     * Applies the free models' limits to a planned request.
     *
     * @return the plan to run: {@code plan} itself, or, when the free models' limits refuse and the plan has
     *         paid models too, the plan without its free models
     * @throws RateLimitExceeded when the free models' limits refuse and the plan has only free models
     */
    RoutePlan admitPlan(ApiKey key, RoutePlan plan);

    /** The workspace's free-model requests today, for {@code GET /key}. */
    FreeModelUsage freeModelUsage(String workspaceId);

    /** No limits: every request may start. */
    RequestLimiter NONE = new RequestLimiter() {
        @Override
        public Admission admit(ApiKey key, ChatRequest request) {
            return Admission.NONE;
        }

        @Override
        public RoutePlan admitPlan(ApiKey key, RoutePlan plan) {
            return plan;
        }

        @Override
        public FreeModelUsage freeModelUsage(String workspaceId) {
            return FreeModelUsage.UNLIMITED;
        }
    };
}
