package dev.switchboard.core.accounting;

import dev.switchboard.core.chat.ChatRequest;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.Attempt;

import java.util.function.Consumer;

/**
 * Today's {@link Accounting}: no spend limits yet, so nothing is reserved; settling books the
 * generation record and tells the observer (metrics). Credits and limits replace {@link #reserve}
 * with an atomic reservation.
 */
public final class UsageLedger implements Accounting {
    private final GenerationLog generations;
    private final Consumer<GenerationRecord> observer;

    public UsageLedger(GenerationLog generations, Consumer<GenerationRecord> observer) {
        this.generations = generations;
        this.observer = observer;
    }

    @Override
    public Reservation reserve(ApiKey key, ChatRequest request, Attempt attempt) {
        return new Reservation(key.hash());
    }

    @Override
    public void settle(Reservation reservation, GenerationRecord record) {
        generations.record(record);
        observer.accept(record);
    }
}
