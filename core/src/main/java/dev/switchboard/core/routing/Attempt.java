package dev.switchboard.core.routing;

import dev.switchboard.core.byok.OwnKey;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import java.util.Objects;
import java.util.Optional;

/**
 * One planned upstream call: this model, through this endpoint of this provider, with the workspace's own
 * key for that provider ({@code ownKey}, BYOK) or else the gateway's shared one.
 */
public record Attempt(Model model, Endpoint endpoint, Provider provider, Optional<OwnKey> ownKey) {
    public Attempt {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(ownKey, "ownKey");
    }

    /** An attempt with the provider's shared key. */
    public Attempt(Model model, Endpoint endpoint, Provider provider) {
        this(model, endpoint, provider, Optional.empty());
    }

    /** Whether the call carries the workspace's own key (BYOK). */
    public boolean byok() {
        return ownKey.isPresent();
    }

    /** The same endpoint, called with the workspace's own key {@code key}. */
    public Attempt with(OwnKey key) {
        return new Attempt(model, endpoint, provider, Optional.of(key));
    }
}
