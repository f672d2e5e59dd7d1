package dev.switchboard.core.routing.sticky;

import java.util.Optional;

/**
 * Which endpoint a conversation of a caller with a model went to last, so that the next turn goes
 * back there and reads the provider's prompt cache instead of writing a new one.
 *
 * <p>The seam a multi-node deployment backs with a shared store; {@link LocalStickyRoutes} is one
 * node's, in memory. Reads are on the planning path and must not block on I/O.
 */
public interface StickyRoutes {
    /** The endpoint {@code key}'s conversation last answered on, while that is recent enough. */
    Optional<String> endpoint(StickyKey key);

    /** {@code key}'s conversation was answered by {@code endpointSlug}; stick to it from now on. */
    void answered(StickyKey key, String endpointSlug);

    /** No stickiness. */
    StickyRoutes NONE = new StickyRoutes() {
        @Override
        public Optional<String> endpoint(StickyKey key) {
            return Optional.empty();
        }

        @Override
        public void answered(StickyKey key, String endpointSlug) {}
    };

    /**
     * One caller's conversation with one model.
     *
     * @param caller       the API key's hash (an account's id once accounts exist)
     * @param modelId      the model
     * @param conversation the conversation's hash
     */
    record StickyKey(String caller, String modelId, long conversation) {}
}
