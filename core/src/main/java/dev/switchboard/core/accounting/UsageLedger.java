package dev.switchboard.core.accounting;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.model.chat.ChatRequest;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Today's {@link Accounting}: no spend limits are enforced yet, so a reservation is computed and held by
 * nothing; settling prices the generation, books its record and tells the observer (metrics).
 *
 * <p>Design note: the reservation. A request may cost at most its prompt plus its longest possible
 * answer, at the prices of the most expensive attempt of its plan (a fallback may end up answering).
 * The prompt is estimated from its length (one token per four UTF-8 bytes of its text, the same for
 * every model, without running a tokenizer on the hot path); the answer is {@code max_tokens} when the
 * client set it, else the endpoint's output cap, else its context length. A per-request price is added.
 * Credits and limits ({@code reserve} refusing with 402) build on this amount.
 */
public final class UsageLedger implements Accounting {
    private final GenerationLog generations;
    private final Consumer<GenerationRecord> observer;
    private final TokenEstimator estimator;
    private final Clock clock;
    private final Duration holdFor;

    /** @param holdFor how long a reservation outlives its request at most (the upstream total timeout and a margin) */
    public UsageLedger(
            GenerationLog generations,
            Consumer<GenerationRecord> observer,
            TokenEstimator estimator,
            Clock clock,
            Duration holdFor) {
        this.generations = generations;
        this.observer = observer;
        this.estimator = estimator;
        this.clock = clock;
        this.holdFor = holdFor;
    }

    @Override
    public Reservation reserve(ApiKey key, ChatRequest request, RoutePlan plan) {
        long prompt = estimator.promptTokensByLength(request.messages());
        BigDecimal most = BigDecimal.ZERO;
        for (Attempt attempt : plan.attempts()) {
            BigDecimal cost = worstCase(attempt.endpoint(), prompt, request);
            most = cost.compareTo(most) > 0 ? cost : most;
        }
        return new Reservation(
                UUID.randomUUID().toString(), key.hash(), most, clock.instant().plus(holdFor));
    }

    private static BigDecimal worstCase(Endpoint endpoint, long promptTokens, ChatRequest request) {
        Pricing pricing = endpoint.pricing();
        long answer = request.maxTokens().orElse(endpoint.maxCompletion().orElse(endpoint.contextLength()));
        return pricing.prompt()
                .multiply(BigDecimal.valueOf(promptTokens))
                .add(pricing.completion().multiply(BigDecimal.valueOf(answer)))
                .add(pricing.request());
    }

    @Override
    public Settlement settle(Reservation reservation, GenerationDraft draft) {
        Cost cost = draft.billedAt()
                .map(pricing -> CostCalculator.cost(pricing, draft.usage()))
                .orElse(Cost.ZERO);
        GenerationRecord record = draft.record().apply(cost.total());
        generations.record(record);
        observer.accept(record);
        return new Settlement(draft.usage(), draft.estimated(), cost);
    }
}
