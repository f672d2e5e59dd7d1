package dev.switchboard.server.chat;

import dev.switchboard.core.accounting.CostCalculator;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.chat.TokenUsage;

import java.util.Optional;

/**
 * Decides the tokens and cost an exchange is billed for: the provider's counts when it reported them,
 * else a local count of the prompt and of the text generated so far (marked as estimated).
 */
final class UsageSettlement {
    private final TokenEstimator estimator;

    UsageSettlement(TokenEstimator estimator) {
        this.estimator = estimator;
    }

    void settle(ChatExchange exchange, Optional<TokenUsage> reported, CharSequence generatedText) {
        TokenUsage usage = reported.orElseGet(() -> estimate(exchange, generatedText));
        exchange.usage = usage;
        exchange.usageEstimated = reported.isEmpty();
        exchange.cost = CostCalculator.cost(exchange.attempt.endpoint().pricing(), usage);
    }

    private TokenUsage estimate(ChatExchange exchange, CharSequence generatedText) {
        long prompt = estimator.promptTokens(exchange.request.body().path("messages"));
        long completion = estimator.textTokens(generatedText.toString());
        return new TokenUsage(prompt, completion, 0, 0, 0);
    }
}
