package dev.switchboard.core.pipeline;

import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.model.chat.ChatRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When a request hedges: after how long without a first byte from an attempt the plan's next attempt
 * starts beside it. Opt-in, per request ({@code provider.hedge.after_ms}) or per model in the
 * configuration ({@code routing.hedge}); the request's own setting wins.
 *
 * @param byModel model id to its configured wait
 */
public record HedgePolicy(Map<String, Duration> byModel) {
    public static final HedgePolicy NONE = new HedgePolicy(Map.of());

    public HedgePolicy {
        byModel = Map.copyOf(Objects.requireNonNull(byModel, "byModel"));
    }

    /** The wait before hedging this request's plan; empty when it does not hedge (or has nothing to hedge with). */
    public Optional<Duration> after(ChatRequest request, RoutePlan plan) {
        if (plan.size() < 2) {
            return Optional.empty();
        }
        Optional<Duration> asked = request.provider().hedgeAfter();
        return asked.isPresent()
                ? asked
                : Optional.ofNullable(byModel.get(plan.first().model().id()));
    }
}
