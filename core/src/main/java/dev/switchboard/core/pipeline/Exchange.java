package dev.switchboard.core.pipeline;

import dev.switchboard.core.accounting.Cost;
import dev.switchboard.core.accounting.GenerationDraft;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.chat.GeneratedText;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UnexpectedFailures;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.ProviderResponse;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.health.AttemptOutcome;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.response.Choice;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.model.response.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one request, gathered as it goes and turned into its generation record at the end:
 * every attempt, the one that answered, what it answered (as much as a token estimate needs), and how
 * the request ended. Owned by the request's thread; {@link #cancellation()} is the one part other
 * threads touch.
 */
public final class Exchange {
    private final String generationId;
    private final ApiKey key;
    private final ChatRequest request;
    private final Instant createdAt;
    private final long receivedNanos;
    private final LongSupplier nanoTime;
    private final RequestCancellation cancellation;
    private final List<ProviderResponse> attempts = new ArrayList<>(2);
    private final GeneratedText generated = new GeneratedText();
    private @Nullable StringBuilder captured;
    private int captureLimit;
    private boolean captureTruncated;
    /** Present when the request offers tools: judges the answer's tool calls for the endpoint's health. */
    private final @Nullable ToolCallAudit toolCalls;

    private @Nullable Attempt lastTried;
    private @Nullable Attempt committed;
    private long firstContentNanos = -1;
    private String upstreamId = "";
    private Optional<FinishReason> finish = Optional.empty();
    private Optional<String> nativeFinish = Optional.empty();
    private Optional<TokenUsage> reported = Optional.empty();
    private boolean cancelled;
    private int status = 200;
    private Optional<String> errorType = Optional.empty();
    private Optional<String> presetId = Optional.empty();

    /**
     * @param receivedNanos when the request arrived, on {@code nanoTime}
     * @param createdAt     when the request arrived, as a date
     */
    public Exchange(
            String generationId,
            ApiKey key,
            ChatRequest request,
            Instant createdAt,
            long receivedNanos,
            LongSupplier nanoTime) {
        this.generationId = Objects.requireNonNull(generationId, "generationId");
        this.key = Objects.requireNonNull(key, "key");
        this.request = Objects.requireNonNull(request, "request");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.receivedNanos = receivedNanos;
        this.nanoTime = nanoTime;
        this.cancellation = new RequestCancellation(nanoTime);
        this.toolCalls = request.tools().isEmpty() ? null : new ToolCallAudit();
    }

    public String generationId() {
        return generationId;
    }

    public ApiKey key() {
        return key;
    }

    public ChatRequest request() {
        return request;
    }

    /** The request's {@code created}, in Unix seconds. */
    public long createdEpochSeconds() {
        return createdAt.getEpochSecond();
    }

    public RequestCancellation cancellation() {
        return cancellation;
    }

    /** Notes that the request was made with the preset {@code id} applied, for its generation record. */
    public void usedPreset(String id) {
        presetId = Optional.of(id);
    }

    /** The attempt that answered, once one did. */
    public Optional<Attempt> committed() {
        return Optional.ofNullable(committed);
    }

    void attemptStarted(Attempt attempt) {
        lastTried = attempt;
        if (toolCalls != null) {
            toolCalls.reset();
        }
    }

    /**
     * How the attempt now ending went, for endpoint health: time to its first content and its completion
     * tokens per second when it answered (the tokens the provider reported, else none measured), else the
     * kind of failure. For a request that offers tools, also what it says of tool calling: a failure on
     * the provider's side is a tool-call error, an answer is judged by its calls' arguments
     * ({@link ToolCallAudit}), and other outcomes are not counted.
     */
    AttemptOutcome outcome(Attempt attempt, CallControl control, Optional<GatewayException> failure) {
        AttemptOutcome outcome = healthOutcome(attempt, control, failure);
        if (toolCalls == null) {
            return outcome;
        }
        return outcome.withToolUse(
                switch (outcome.kind()) {
                    case FAILURE -> AttemptOutcome.ToolUse.ERROR;
                    case SUCCESS -> toolCalls.verdict(finish);
                    case RATE_LIMITED, NEUTRAL -> AttemptOutcome.ToolUse.NONE;
                });
    }

    private AttemptOutcome healthOutcome(Attempt attempt, CallControl control, Optional<GatewayException> failure) {
        if (failure.isPresent()) {
            if (!(failure.get() instanceof UpstreamException upstream) || ownKeysFault(attempt, upstream)) {
                return AttemptOutcome.of(AttemptOutcome.Kind.NEUTRAL);
            }
            if (upstream.failure() == UpstreamFailure.RATE_LIMITED) {
                return AttemptOutcome.rateLimited(upstream.retryAfter());
            }
            // a refusal of this request says nothing of the endpoint; bad credentials or an unknown
            // upstream model (PROVIDER_CLIENT_ERROR) do, and keep failing until the setup is fixed
            return AttemptOutcome.of(
                    switch (upstream.failure()) {
                        case REJECTED, CANCELLED -> AttemptOutcome.Kind.NEUTRAL;
                        default -> AttemptOutcome.Kind.FAILURE;
                    });
        }
        long end = nanoTime.getAsLong();
        long started = control.startedNanos();
        long firstTokenMillis = firstContentNanos < 0 ? -1 : (firstContentNanos - started) / 1_000_000;
        long generating = firstContentNanos < 0 ? 0 : end - firstContentNanos;
        long span = generating > 1_000_000 ? generating : end - started;
        double tokensPerSecond =
                reported.isPresent() && span > 0 ? reported.get().completion() * 1e9 / span : -1;
        return AttemptOutcome.success(firstTokenMillis, tokensPerSecond);
    }

    /**
     * Whether the failure is the workspace's own key's, not the endpoint's: a BYOK attempt refused for its
     * key (4xx: revoked, unpaid, no access) or rate limited on its account says nothing of the endpoint
     * that the gateway's shared key, or another workspace's key, reaches.
     */
    private static boolean ownKeysFault(Attempt attempt, UpstreamException upstream) {
        return attempt.byok()
                && (upstream.failure() == UpstreamFailure.PROVIDER_CLIENT_ERROR
                        || upstream.failure() == UpstreamFailure.RATE_LIMITED);
    }

    /** Every attempt made so far, in order. */
    List<ProviderResponse> attemptsMade() {
        return List.copyOf(attempts);
    }

    /** Time since the request arrived, on the exchange's clock. */
    long elapsedNanos() {
        return nanoTime.getAsLong() - receivedNanos;
    }

    void commit(Attempt attempt) {
        committed = attempt;
        firstContentNanos = nanoTime.getAsLong();
    }

    /**
     * The attempt ended; {@code failure} says why when it failed (empty when it answered to the end).
     *
     * @param control the attempt's control, whose start is the attempt's
     */
    void attemptEnded(Attempt attempt, CallControl control, Optional<GatewayException> failure) {
        int attemptStatus = failure.map(e ->
                        e instanceof UpstreamException u && u.upstreamStatus() > 0 ? u.upstreamStatus() : e.status())
                .orElse(200);
        Optional<String> leftBecause = failure.map(e -> e instanceof UpstreamException u
                ? u.failure().metricTag()
                : e.type().wireName());
        record(attempt, control, attemptStatus, failure.map(e -> e.type().wireName()), leftBecause);
    }

    /**
     * The attempt was cancelled because another attempt of the request answered first (a lost hedge). Its
     * status is 499, the gateway having closed the call as a client does.
     */
    void attemptAbandoned(Attempt attempt, CallControl control) {
        record(attempt, control, ABANDONED_STATUS, Optional.empty(), Optional.of("hedge_lost"));
    }

    /** Status recorded for an attempt the gateway itself cut short because another answered. */
    static final int ABANDONED_STATUS = 499;

    @SuppressWarnings("ReferenceEquality") // a plan may hold equal attempts; only the committed one is billed
    private void record(
            Attempt attempt,
            CallControl control,
            int status,
            Optional<String> errorType,
            Optional<String> leftBecause) {
        boolean billed = attempt == committed;
        attempts.add(new ProviderResponse(
                attempt.provider().slug(),
                attempt.provider().name(),
                attempt.model().id(),
                billed && !upstreamId.isEmpty() ? Optional.of(upstreamId) : Optional.empty(),
                status,
                (nanoTime.getAsLong() - control.startedNanos()) / 1_000_000,
                errorType,
                leftBecause,
                billed,
                attempt.byok()));
    }

    /**
     * Keeps the whole generated output (text, reasoning, tool-call arguments, refusals, in the order
     * produced) up to {@code maxChars}, for input/output logging; off unless asked for.
     */
    public void captureOutput(int maxChars) {
        captured = new StringBuilder();
        captureLimit = maxChars;
    }

    /** The output kept by {@link #captureOutput}; empty when it was not asked for. */
    public Optional<String> capturedOutput() {
        return Optional.ofNullable(captured).map(StringBuilder::toString);
    }

    /** Whether the captured output was cut at its bound. */
    public boolean outputTruncated() {
        return captureTruncated;
    }

    private void produced(String text) {
        generated.append(text);
        StringBuilder capture = captured;
        if (capture != null) {
            int room = captureLimit - capture.length();
            if (text.length() <= room) {
                capture.append(text);
            } else {
                int cut = Math.max(room, 0);
                if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
                    cut--;
                }
                capture.append(text, 0, cut);
                captureTruncated = true;
            }
        }
    }

    /** Notes what accounting needs of one event of the committed attempt. */
    void observe(StreamEvent event) {
        switch (event) {
            case StreamEvent.Started started -> started.upstreamId().ifPresent(id -> upstreamId = id);
            case StreamEvent.TextDelta delta -> produced(delta.text());
            case StreamEvent.ReasoningDelta delta -> {
                if (delta.piece().kind() != ContentPart.Reasoning.Kind.ENCRYPTED) {
                    produced(delta.piece().content());
                }
            }
            case StreamEvent.ToolCallDelta delta -> {
                produced(delta.arguments());
                if (toolCalls != null) {
                    toolCalls.append(delta);
                }
            }
            case StreamEvent.RefusalDelta delta -> produced(delta.text());
            case StreamEvent.Finished finished -> {
                if (finished.choice() == 0) {
                    finish = Optional.of(finished.reason());
                    nativeFinish = finished.nativeReason();
                }
            }
            case StreamEvent.UsageReported usage -> reported = Optional.of(usage.usage());
            case StreamEvent.Native ignored -> {}
            case StreamEvent.End ignored -> {}
        }
    }

    /** Notes what accounting needs of a whole answer. */
    void observe(Completion completion) {
        completion.upstreamId().ifPresent(id -> upstreamId = id);
        completion.usage().ifPresent(usage -> reported = Optional.of(usage));
        for (Choice choice : completion.choices()) {
            for (ContentPart part : choice.content()) {
                switch (part) {
                    case ContentPart.Text text -> produced(text.text());
                    case ContentPart.ToolCall call -> {
                        produced(call.arguments());
                        if (toolCalls != null) {
                            toolCalls.check(call);
                        }
                    }
                    case ContentPart.Refusal refusal -> produced(refusal.text());
                    case ContentPart.Reasoning reasoning
                    when reasoning.kind() != ContentPart.Reasoning.Kind.ENCRYPTED -> produced(reasoning.content());
                    default -> {}
                }
            }
        }
        completion.first().ifPresent(choice -> {
            finish = choice.finish();
            nativeFinish = choice.nativeFinish();
        });
    }

    /** The client went away. */
    void cancelled() {
        cancelled = true;
        cancellation.cancel();
    }

    /** The request failed with this error, which the client got as its status (or in-band, after commit). */
    void failed(GatewayException error) {
        errorType = Optional.of(error.type().wireName());
        if (committed == null) {
            status = error.status();
        } else {
            finish = Optional.of(FinishReason.ERROR);
        }
    }

    /**
     * The billing facts and the record of this request, as it stands at {@code endNanos}. Usage is the
     * provider's when it reported some, else estimated from the prompt and the text generated; should
     * estimating fail, from text lengths alone, so that a failure of the gateway never bills less.
     */
    public GenerationDraft draft(TokenEstimator estimator) {
        long endNanos = nanoTime.getAsLong();
        boolean answered = committed != null;
        TokenUsage usage = reported.orElseGet(() -> answered ? estimate(estimator) : TokenUsage.ZERO);
        boolean estimated = reported.isEmpty() && answered;
        Optional<Pricing> billedAt =
                Optional.ofNullable(committed).map(a -> a.endpoint().pricing());
        boolean insured = answered
                && (usage.completion() == 0
                        || finish.filter(f -> f == FinishReason.ERROR).isPresent());
        boolean byok = committed != null && committed.byok();
        return new GenerationDraft(
                billedAt, usage, estimated, insured, byok, cost -> record(usage, estimated, cost, endNanos));
    }

    private TokenUsage estimate(TokenEstimator estimator) {
        try {
            return new TokenUsage(estimator.promptTokens(request.messages()), estimator.textTokens(generated), 0, 0, 0);
        } catch (RuntimeException | Error e) {
            UnexpectedFailures.log("estimating usage", e);
            return new TokenUsage(
                    estimator.promptTokensByLength(request.messages()),
                    estimator.textTokensByLength(generated),
                    0,
                    0,
                    0);
        }
    }

    private GenerationRecord record(TokenUsage usage, boolean estimated, Cost cost, long endNanos) {
        Attempt shown = committed != null ? committed : lastTried;
        long ttftMs = firstContentNanos < 0 ? -1 : (firstContentNanos - receivedNanos) / 1_000_000;
        long generationMs = firstContentNanos < 0 ? 0 : (endNanos - firstContentNanos) / 1_000_000;
        return new GenerationRecord(
                generationId,
                createdAt,
                key.hash(),
                shown == null ? request.model() : shown.model().id(),
                shown == null ? "" : shown.provider().slug(),
                shown == null ? "" : shown.provider().name(),
                committed == null ? "" : upstreamId,
                request.stream(),
                cancelled,
                finish.map(FinishReason::wireName).orElse(null),
                nativeFinish.orElse(null),
                usage.prompt(),
                usage.completion(),
                usage.cachedPrompt(),
                usage.reasoning(),
                cost.total(),
                (endNanos - receivedNanos) / 1_000_000,
                generationMs,
                ttftMs,
                request.attribution().httpReferer(),
                request.attribution().appTitle(),
                request.attribution().user(),
                status,
                errorType,
                estimated,
                attempts,
                presetId,
                key.workspaceId(),
                request.attribution().categories(),
                cost.byok(),
                cost.byokUpstream(),
                cost.cacheDiscount());
    }
}
