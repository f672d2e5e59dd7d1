package dev.switchboard.core.limits;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Which models the free-model limits apply to: a {@code :free} variant, and a model whose every endpoint
 * costs nothing (no prompt, completion or per-request price), which is what the free router
 * ({@code openrouter/free}) draws from. Pure functions of the catalog's models.
 */
final class FreeModels {
    private static final String FREE_SUFFIX = ":free";

    private FreeModels() {}

    static boolean isFree(Model model) {
        if (model.id().endsWith(FREE_SUFFIX)) {
            return true;
        }
        List<Endpoint> endpoints = model.endpoints();
        if (endpoints.isEmpty()) {
            return false;
        }
        for (Endpoint endpoint : endpoints) {
            if (!costsNothing(endpoint.pricing())) {
                return false;
            }
        }
        return true;
    }

    /** Whether any attempt of the plan is on a free model. */
    static boolean anyFree(RoutePlan plan) {
        for (Attempt attempt : plan.attempts()) {
            if (isFree(attempt.model())) {
                return true;
            }
        }
        return false;
    }

    /** The plan's attempts on paid models, in order. */
    static List<Attempt> paidAttempts(RoutePlan plan) {
        List<Attempt> paid = new ArrayList<>(plan.size());
        for (Attempt attempt : plan.attempts()) {
            if (!isFree(attempt.model())) {
                paid.add(attempt);
            }
        }
        return paid;
    }

    private static boolean costsNothing(Pricing pricing) {
        return pricing.prompt().signum() == 0
                && pricing.completion().signum() == 0
                && pricing.request().signum() == 0;
    }
}
