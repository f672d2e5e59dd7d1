package dev.switchboard.server.chat;

import dev.switchboard.core.accounting.Cost;
import dev.switchboard.core.chat.ChatRequest;
import dev.switchboard.core.chat.TokenUsage;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.CallControl;

import java.time.Instant;
import java.util.Optional;

/**
 * What happened to one routed request, gathered as it goes and turned into its
 * {@link GenerationRecord} at the end. Owned by the request's thread.
 */
final class ChatExchange {
    final String generationId;
    final ApiKey key;
    final ChatRequest request;
    final Attempt attempt;
    final CallControl control;
    private final Instant createdAt;
    private final long receivedNanos;
    String upstreamId = "";
    String finishReason;
    String nativeFinishReason;
    TokenUsage usage = TokenUsage.ZERO;
    boolean usageEstimated;
    Cost cost = Cost.ZERO;
    boolean cancelled;
    int status = 200;
    Optional<String> errorType = Optional.empty();

    ChatExchange(String generationId, ApiKey key, ChatRequest request, Attempt attempt, CallControl control,
                 Instant createdAt, long receivedNanos) {
        this.generationId = generationId;
        this.key = key;
        this.request = request;
        this.attempt = attempt;
        this.control = control;
        this.createdAt = createdAt;
        this.receivedNanos = receivedNanos;
    }

    void failed(GatewayException e) {
        status = e.status();
        errorType = Optional.of(e.type().wireName());
    }

    long createdEpochSeconds() {
        return createdAt.getEpochSecond();
    }

    GenerationRecord toRecord(long endNanos) {
        long ttftNanos = control.timeToFirstByteNanos();
        long ttftMs = ttftNanos < 0 ? -1 : (control.startedNanos() - receivedNanos + ttftNanos) / 1_000_000;
        long generationMs = ttftNanos < 0 ? 0 : (endNanos - control.startedNanos() - ttftNanos) / 1_000_000;
        return new GenerationRecord(generationId, createdAt, key.hash(), attempt.model().id(),
                attempt.provider().slug(), attempt.provider().name(), upstreamId, request.stream(), cancelled,
                finishReason, nativeFinishReason, usage.prompt(), usage.completion(), usage.cachedPrompt(),
                usage.reasoning(), cost.total(), (endNanos - receivedNanos) / 1_000_000, generationMs, ttftMs,
                request.attribution().httpReferer(), request.attribution().appTitle(), request.attribution().user(),
                status, errorType, usageEstimated);
    }
}
