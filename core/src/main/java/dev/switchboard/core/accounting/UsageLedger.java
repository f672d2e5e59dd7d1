package dev.switchboard.core.accounting;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.model.chat.ChatRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The {@link Accounting} of one node: reservations against workspace credits and key limits in a
 * {@link CreditBook}, settlement by pricing the generation, storing its record and booking its cost.
 *
 * <p>Design note: the reservation. A request may cost at most its prompt plus its longest possible
 * answer, at the prices of the most expensive attempt of its plan (a fallback may end up answering).
 * The prompt is estimated from its length (one token per four UTF-8 bytes of its text, the same for
 * every model, without running a tokenizer on the hot path); the answer is {@code max_tokens} when the
 * client set it, else the endpoint's output cap, else its context length. A per-request price is added.
 * When that cannot be afforded the request is refused with 402 and OpenRouter's message, which says how
 * many output tokens could be.
 *
 * <p>Zero-completion insurance: an answer that generated nothing, or that ended in an error, is not
 * charged for the model (its prompt, its output and its per-request price); the record still says
 * what it used.
 */
public final class UsageLedger implements Accounting {
    private final GenerationLog generations;
    private final Consumer<GenerationRecord> observer;
    private final TokenEstimator estimator;
    private final Clock clock;
    private final Duration holdFor;
    private final CreditBook book;
    private final Consumer<CreditBook.Standing> settled;

    /**
     * @param holdFor how long a reservation outlives its request at most (the upstream total timeout and a
     *                margin)
     */
    public UsageLedger(
            GenerationLog generations,
            Consumer<GenerationRecord> observer,
            TokenEstimator estimator,
            Clock clock,
            Duration holdFor,
            CreditBook book) {
        this(generations, observer, estimator, clock, holdFor, book, standing -> {});
    }

    /** @param settled told where the key and the workspace stand after each settlement (spend alerts) */
    public UsageLedger(
            GenerationLog generations,
            Consumer<GenerationRecord> observer,
            TokenEstimator estimator,
            Clock clock,
            Duration holdFor,
            CreditBook book,
            Consumer<CreditBook.Standing> settled) {
        this.settled = settled;
        this.generations = generations;
        this.observer = observer;
        this.estimator = estimator;
        this.clock = clock;
        this.holdFor = holdFor;
        this.book = book;
    }

    @Override
    public Reservation reserve(ApiKey key, ChatRequest request, RoutePlan plan) {
        long prompt = estimator.promptTokensByLength(request.messages());
        BigDecimal most = BigDecimal.ZERO;
        Endpoint dearest = plan.first().endpoint();
        for (Attempt attempt : plan.attempts()) {
            BigDecimal cost = worstCase(attempt.endpoint(), prompt, request);
            if (cost.compareTo(most) > 0) {
                most = cost;
                dearest = attempt.endpoint();
            }
        }
        Reservation reservation = new Reservation(
                UUID.randomUUID().toString(),
                key.hash(),
                key.workspaceId(),
                most,
                clock.instant().plus(holdFor));
        try {
            book.reserve(reservation.id(), key, most, reservation.expiresAt());
        } catch (CreditBook.Refusal refusal) {
            throw unaffordable(refusal, dearest, prompt, request);
        }
        return reservation;
    }

    private static BigDecimal worstCase(Endpoint endpoint, long promptTokens, ChatRequest request) {
        Pricing pricing = endpoint.pricing();
        return pricing.prompt()
                .multiply(BigDecimal.valueOf(promptTokens))
                .add(pricing.completion().multiply(BigDecimal.valueOf(answerTokens(endpoint, request))))
                .add(pricing.request());
    }

    private static long answerTokens(Endpoint endpoint, ChatRequest request) {
        return request.maxTokens().orElse(endpoint.maxCompletion().orElse(endpoint.contextLength()));
    }

    /**
     * OpenRouter's 402: how many output tokens the room left would pay for at the dearest attempt's
     * prices, after its prompt and per-request price.
     */
    private static GatewayException unaffordable(
            CreditBook.Refusal refusal, Endpoint dearest, long promptTokens, ChatRequest request) {
        Pricing pricing = dearest.pricing();
        BigDecimal left = refusal.available()
                .subtract(pricing.prompt().multiply(BigDecimal.valueOf(promptTokens)))
                .subtract(pricing.request());
        long affordable = pricing.completion().signum() == 0 || left.signum() <= 0
                ? 0
                : left.divide(pricing.completion(), 0, RoundingMode.FLOOR)
                        .min(BigDecimal.valueOf(Long.MAX_VALUE))
                        .longValue();
        String message = refusal.keyLimit()
                ? "This request requires more credits than this API key's limit leaves, or fewer max_tokens."
                : "This request requires more credits, or fewer max_tokens.";
        message += " You requested up to " + answerTokens(dearest, request) + " tokens, but can only afford "
                + affordable + ".";
        return GatewayException.paymentRequired(message);
    }

    @Override
    public Settlement settle(Reservation reservation, GenerationDraft draft) {
        Cost cost = draft.insured()
                ? Cost.ZERO
                : draft.billedAt()
                        .map(pricing -> CostCalculator.cost(pricing, draft.usage()))
                        .orElse(Cost.ZERO);
        GenerationRecord record = draft.record().apply(cost);
        try {
            generations.record(record);
            observer.accept(record);
        } finally {
            book.settle(reservation.id(), reservation.workspaceId(), cost.total())
                    .ifPresent(settled);
        }
        return new Settlement(draft.usage(), draft.estimated(), cost);
    }

    /** The credits book this ledger reserves in. */
    public CreditBook book() {
        return book;
    }
}
