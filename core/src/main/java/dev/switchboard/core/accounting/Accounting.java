package dev.switchboard.core.accounting;

import dev.switchboard.core.chat.ChatRequest;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.Attempt;

/**
 * The books around an upstream call: {@link #reserve} before it (where credit and limit checks plug in:
 * it may refuse with 402 or 429), {@link #settle} after it, exactly once per reservation, whatever the
 * outcome (called from {@code finally}).
 */
public interface Accounting {
    /** Holds whatever the request may spend; today nothing is held. */
    Reservation reserve(ApiKey key, ChatRequest request, Attempt attempt);

    /** Releases the hold and books the actual spend as recorded. */
    void settle(Reservation reservation, GenerationRecord record);

    /** What {@link #reserve} held. */
    record Reservation(String keyHash) {
    }
}
