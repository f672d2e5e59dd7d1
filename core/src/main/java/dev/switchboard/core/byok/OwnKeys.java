package dev.switchboard.core.byok;

import java.util.List;

/**
 * The BYOK credentials one request may use, as routing asks for them: those of the caller's workspace
 * for a provider, enabled, allowing the model and the calling key, in the order to try them (ascending
 * {@code sort_order}, then oldest first). An in-memory lookup; no I/O.
 */
@FunctionalInterface
public interface OwnKeys {
    List<OwnKey> forEndpoint(String providerSlug, String modelId);

    /** No credentials of the caller's own. */
    OwnKeys NONE = (provider, model) -> List.of();
}
