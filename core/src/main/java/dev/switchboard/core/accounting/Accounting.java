package dev.switchboard.core.accounting;

import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.model.chat.ChatRequest;

/**
 * The books around a request: {@link #reserve} before any upstream call (where credit and limit checks
 * plug in: it may refuse with 402 or 429), {@link #settle} after it, exactly once per reservation,
 * whatever the outcome.
 *
 * <p>What must be atomic, and where: reserving checks and holds an amount against a balance in one
 * step; settling releases the hold, books the actual cost and writes the generation record together.
 * Implementations say how they achieve it.
 */
public interface Accounting {
    /**
     * Holds the most the request can cost: its estimated prompt and its largest possible answer, at the
     * prices of the plan's most expensive attempt.
     */
    Reservation reserve(ApiKey key, ChatRequest request, RoutePlan plan);

    /**
     * Prices what happened, books it and releases the hold. Returns once the generation record is
     * stored (durable against a crash of the process), so the caller may then send the last bytes of the
     * response knowing the record survives; while storage is failing, or past {@code storage.commit_wait},
     * it returns with the record kept in memory and still to be stored.
     */
    Settlement settle(Reservation reservation, GenerationDraft draft);
}
