package dev.switchboard.core.routing;

import dev.switchboard.core.byok.OwnKeys;
import dev.switchboard.model.chat.ChatRequest;

/**
 * Turns a request into the ordered list of upstream attempts. The seam where provider preferences,
 * load balancing, fallbacks, variants and presets plug in.
 *
 * <p>Implementations are thread-safe and do no I/O: planning is on the hot path.
 */
public interface RoutePlanner {
    /**
     * The attempts to make for {@code request}, in order.
     *
     * @throws dev.switchboard.core.error.GatewayException 400 {@code model_not_found} for an unknown
     *         model, 404 when no endpoint passes the request's filters, 503 when every remaining
     *         endpoint's provider is unavailable
     */
    RoutePlan plan(ChatRequest request);

    /**
     * The attempts for {@code request} made by {@code caller} (the API key's hash), which lets a
     * planner route a conversation back to the endpoint that answered its previous turn.
     */
    default RoutePlan plan(ChatRequest request, String caller) {
        return plan(request);
    }

    /**
     * The attempts for {@code request} made by {@code caller}, with the caller's own provider keys
     * ({@code own}, BYOK) placed as OpenRouter places them: before the shared endpoints of their provider,
     * or after them for fallback keys. A planner that knows nothing of BYOK plans without them.
     */
    default RoutePlan plan(ChatRequest request, String caller, OwnKeys own) {
        return plan(request, caller);
    }
}
