package dev.switchboard.server.chat;

import dev.switchboard.core.accounting.CostCalculator;
import dev.switchboard.core.chat.GeneratedText;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.chat.TokenUsage;
import dev.switchboard.server.http.UnexpectedFailures;

import java.util.Optional;

/**
 * Decides the tokens and cost an exchange is billed for: the provider's counts when it reported them,
 * else a local count of the prompt and of the text generated so far (marked as estimated). Settling
 * never fails: should counting itself fail (a bug, or the heap exhausted by something else), the
 * estimate falls back to one made from text lengths alone, so that a request is never billed less
 * because the gateway failed.
 */
final class UsageSettlement {
    private final TokenEstimator estimator;

    UsageSettlement(TokenEstimator estimator) {
        this.estimator = estimator;
    }

    void settle(ChatExchange exchange, Optional<TokenUsage> reported, GeneratedText generated) {
        TokenUsage usage = reported.orElseGet(() -> estimate(exchange, generated));
        exchange.usage = usage;
        exchange.usageEstimated = reported.isEmpty();
        exchange.cost = CostCalculator.cost(exchange.attempt.endpoint().pricing(), usage);
    }

    private TokenUsage estimate(ChatExchange exchange, GeneratedText generated) {
        try {
            long prompt = estimator.promptTokens(exchange.request.body().path("messages"));
            return new TokenUsage(prompt, estimator.textTokens(generated), 0, 0, 0);
        } catch (RuntimeException | Error e) {
            UnexpectedFailures.log("estimating usage", e);
            long prompt = estimator.promptTokensByLength(exchange.request.body().path("messages"));
            return new TokenUsage(prompt, estimator.textTokensByLength(generated), 0, 0, 0);
        }
    }
}
