package dev.switchboard.core.routing;

import dev.switchboard.core.byok.OwnKey;
import dev.switchboard.core.byok.OwnKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a workspace's own provider keys (BYOK) go in a plan, as OpenRouter places them.
 *
 * <p>Design note. Placement runs on a model's planned endpoints after every filter and the ordering, so
 * BYOK never gets past a data policy ({@code data_collection}, {@code zdr}), {@code only}, {@code ignore},
 * a price cap or a context limit: an endpoint the filters removed has no BYOK attempt either. Each planned
 * endpoint whose provider the caller has keys for gets one attempt per key, in the keys' order
 * ({@code sort_order}); a prioritized key's attempts all come before the shared attempts, a fallback key's
 * ({@code is_fallback}) all after them, each group in the order of the plan, whatever {@code order} or
 * {@code sort} put first. The shared attempt of an endpoint stays unless one of the keys for its provider
 * is {@code always_use}, or the provider has no shared key at all (it was planned for the caller's keys
 * alone). Models stay in their own order: placement is per model, or over the whole plan when
 * {@code sort.partition} is {@code none} sorts all models' endpoints together. A caller without keys
 * ({@link OwnKeys#NONE}) costs one comparison.
 */
final class ByokPlacement {
    private ByokPlacement() {}

    @SuppressWarnings("ReferenceEquality") // NONE is the one value for a caller without keys: a fast path
    static List<Attempt> place(List<Attempt> planned, OwnKeys own) {
        if (own == OwnKeys.NONE) {
            return planned;
        }
        List<Attempt> prioritized = new ArrayList<>();
        List<Attempt> shared = new ArrayList<>(planned.size());
        List<Attempt> fallback = new ArrayList<>();
        for (Attempt attempt : planned) {
            boolean alwaysUse = false;
            for (OwnKey key :
                    own.forEndpoint(attempt.provider().slug(), attempt.model().id())) {
                (key.fallback() ? fallback : prioritized).add(attempt.with(key));
                alwaysUse |= key.alwaysUse();
            }
            if (attempt.provider().available() && !alwaysUse) {
                shared.add(attempt);
            }
        }
        if (prioritized.isEmpty() && fallback.isEmpty()) {
            return planned;
        }
        List<Attempt> placed = new ArrayList<>(prioritized.size() + shared.size() + fallback.size());
        placed.addAll(prioritized);
        placed.addAll(shared);
        placed.addAll(fallback);
        return placed;
    }
}
