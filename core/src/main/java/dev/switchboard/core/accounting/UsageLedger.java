package dev.switchboard.core.accounting;

import dev.switchboard.core.byok.ByokFee;
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
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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
 * <p>BYOK: an attempt with the workspace's own key may cost the credits only the fee on its list price
 * ({@link ByokFee}), and its key that fee plus, when the key's limit includes BYOK, the list price; each
 * room holds the worst case over the plan of what it may pay ({@link Reservation#keyAmount()}).
 *
 * <p>Zero-completion insurance: an answer that generated nothing, or that ended in an error, is not
 * charged for the model (its prompt, its output and its per-request price), nor its BYOK fee; the record
 * still says what it used, and for BYOK what the provider billed the workspace's key.
 */
public final class UsageLedger implements Accounting {
    private final GenerationLog generations;
    private final Consumer<GenerationRecord> observer;
    private final TokenEstimator estimator;
    private final Clock clock;
    private final Duration holdFor;
    private final CreditBook book;
    private final Consumer<CreditBook.Standing> settled;
    private final ByokFee fee;

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
        this(generations, observer, estimator, clock, holdFor, book, settled, ByokFee.DEFAULT);
    }

    /** @param fee what a request served with the workspace's own key costs its credits */
    public UsageLedger(
            GenerationLog generations,
            Consumer<GenerationRecord> observer,
            TokenEstimator estimator,
            Clock clock,
            Duration holdFor,
            CreditBook book,
            Consumer<CreditBook.Standing> settled,
            ByokFee fee) {
        this.fee = fee;
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
        Worst credits = Worst.NONE;
        Worst keySpend = Worst.NONE;
        boolean byokInLimit = key.spending().includeByokInLimit();
        for (Attempt attempt : plan.attempts()) {
            Endpoint endpoint = attempt.endpoint();
            BigDecimal list = worstCase(endpoint, prompt, request);
            BigDecimal creditShare = attempt.byok() ? fee.fraction() : BigDecimal.ONE;
            BigDecimal keyShare = attempt.byok() && byokInLimit ? creditShare.add(BigDecimal.ONE) : creditShare;
            credits = credits.max(new Worst(list.multiply(creditShare), endpoint, creditShare));
            keySpend = keySpend.max(new Worst(list.multiply(keyShare), endpoint, keyShare));
        }
        Reservation reservation = new Reservation(
                UUID.randomUUID().toString(),
                key.hash(),
                key.workspaceId(),
                strip(credits.amount()),
                strip(keySpend.amount()),
                clock.instant().plus(holdFor));
        try {
            book.reserve(reservation.id(), key, reservation.amount(), reservation.keyAmount(), reservation.expiresAt());
        } catch (CreditBook.Refusal refusal) {
            Worst refused = refusal.keyLimit() ? keySpend : credits;
            throw unaffordable(
                    refusal,
                    refused.endpoint() == null ? plan.first().endpoint() : refused.endpoint(),
                    refused.share(),
                    prompt,
                    request);
        }
        return reservation;
    }

    /**
     * The dearest attempt of a plan for one room: what it may cost that room, its endpoint, and the share
     * of its list price that room pays (1, the BYOK fee's fraction for credits, or the fee plus the list
     * price for a key whose limit includes BYOK).
     */
    private record Worst(BigDecimal amount, @Nullable Endpoint endpoint, BigDecimal share) {
        static final Worst NONE = new Worst(BigDecimal.ZERO, null, BigDecimal.ONE);

        Worst max(Worst other) {
            return other.amount.compareTo(amount) > 0 || endpoint == null ? other : this;
        }
    }

    private static BigDecimal strip(BigDecimal amount) {
        return amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
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
     * prices (of which the room pays {@code share}), after its prompt and per-request price.
     */
    private static GatewayException unaffordable(
            CreditBook.Refusal refusal, Endpoint dearest, BigDecimal share, long promptTokens, ChatRequest request) {
        Pricing pricing = dearest.pricing();
        BigDecimal room =
                share.signum() == 0 ? BigDecimal.ZERO : refusal.available().divide(share, MathContext.DECIMAL128);
        BigDecimal left = room.subtract(pricing.prompt().multiply(BigDecimal.valueOf(promptTokens)))
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
        Cost cost = cost(draft);
        GenerationRecord record = draft.record().apply(cost);
        try {
            generations.record(record);
            observer.accept(record);
        } finally {
            book.settle(
                            reservation.id(),
                            reservation.workspaceId(),
                            cost.total(),
                            cost.byokUpstream().orElse(BigDecimal.ZERO))
                    .ifPresent(settled);
        }
        return new Settlement(draft.usage(), draft.estimated(), cost);
    }

    /**
     * The draft priced: at list price; for an answer served with the workspace's own key, the fee on it
     * (the list price is what the provider bills that key); nothing to credits when zero-completion
     * insurance applies.
     */
    private Cost cost(GenerationDraft draft) {
        Cost list = draft.billedAt()
                .map(pricing -> CostCalculator.cost(pricing, draft.usage()))
                .orElse(Cost.ZERO);
        if (draft.byok()) {
            return Cost.byok(list, draft.insured() ? BigDecimal.ZERO : fee.of(list.total()));
        }
        return draft.insured() ? Cost.ZERO : list;
    }

    /** The credits book this ledger reserves in. */
    public CreditBook book() {
        return book;
    }
}
