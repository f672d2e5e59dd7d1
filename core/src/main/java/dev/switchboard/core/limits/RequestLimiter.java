package dev.switchboard.core.limits;

import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.model.chat.ChatRequest;

/**
 * Decides whether a request may start, before anything is planned or reserved: where per-key and
 * per-workspace rate limits (requests and tokens per minute, the free models' daily allowance) refuse
 * with 429 and {@code Retry-After}. Runs on every request, so implementations answer from memory.
 * Thread-safe.
 */
public interface RequestLimiter {
    /**
     * Lets the request start, or refuses it.
     *
     * @throws dev.switchboard.core.error.GatewayException 429 when the key may not start a request now
     */
    void admit(ApiKey key, ChatRequest request);

    /** No limits: every request may start. */
    RequestLimiter NONE = (key, request) -> {};
}
