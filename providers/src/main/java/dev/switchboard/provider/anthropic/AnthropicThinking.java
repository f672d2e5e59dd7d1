package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ReasoningSettings;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/**
 * Extended thinking for a request's {@code reasoning}: {@code thinking: {type: "enabled", budget_tokens}}
 * with the output limit that goes with it.
 *
 * <p>Design note. The budget follows OpenRouter's rule, so that a client sees the same behaviour here as
 * there: an explicit {@code reasoning.max_tokens} is the budget, at least {@value #MIN_BUDGET}; an effort is
 * a share of {@code max_tokens} (minimal 0.1, low 0.2, medium 0.5, high 0.8, xhigh and max 0.95; plain
 * {@code enabled: true} is medium), kept within {@value #MIN_BUDGET}..{@value #MAX_BUDGET}. Anthropic
 * requires the budget below {@code max_tokens}: when the client set {@code max_tokens} and it is not above
 * the budget, the request is refused (400) rather than given a limit it did not ask for; when the limit is
 * the gateway's default, it is raised to budget + {@value AnthropicRequestWriter#DEFAULT_MAX_TOKENS}.
 * Effort {@code none}, or {@code enabled: false}, means no thinking.
 *
 * @param budget    {@code budget_tokens}
 * @param maxTokens the request's {@code max_tokens}, above the budget
 */
record AnthropicThinking(long budget, long maxTokens) {
    static final long MIN_BUDGET = 1024;
    static final long MAX_BUDGET = 128_000;
    /** The lowest {@code top_p} Anthropic accepts while thinking. */
    static final BigDecimal MIN_TOP_P = new BigDecimal("0.95");

    static Optional<AnthropicThinking> of(ChatRequest request, Endpoint endpoint) {
        Optional<ReasoningSettings> settings = request.reasoning().filter(AnthropicThinking::wanted);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        long maxTokens = AnthropicRequestWriter.maxTokens(request, endpoint);
        long budget = budget(settings.get(), maxTokens);
        if (budget < maxTokens) {
            return Optional.of(new AnthropicThinking(budget, maxTokens));
        }
        if (request.maxTokens().isPresent()) {
            throw GatewayException.invalidRequest("max_tokens (" + maxTokens
                    + ") must be larger than the reasoning budget (" + budget + ") for Anthropic models");
        }
        return Optional.of(new AnthropicThinking(budget, budget + AnthropicRequestWriter.DEFAULT_MAX_TOKENS));
    }

    private static boolean wanted(ReasoningSettings settings) {
        if (settings.enabled().filter(enabled -> !enabled).isPresent()) {
            return false;
        }
        boolean none = settings.effort()
                .filter(effort -> effort.equalsIgnoreCase("none"))
                .isPresent();
        return settings.maxTokens().isPresent()
                || (!none
                        && (settings.effort().isPresent() || settings.enabled().isPresent()));
    }

    private static long budget(ReasoningSettings settings, long maxTokens) {
        if (settings.maxTokens().isPresent()) {
            return Math.max(MIN_BUDGET, settings.maxTokens().getAsLong());
        }
        long share = switch (settings.effort().orElse("medium").toLowerCase(Locale.ROOT)) {
            case "minimal" -> 10;
            case "low" -> 20;
            case "high" -> 80;
            case "xhigh", "max" -> 95;
            default -> 50;
        };
        return Math.max(MIN_BUDGET, Math.min(MAX_BUDGET, maxTokens * share / 100));
    }

    void write(ObjectNode body) {
        body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    }
}
