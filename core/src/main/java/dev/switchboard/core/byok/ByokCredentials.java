package dev.switchboard.core.byok;

import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.provider.Credential;
import dev.switchboard.core.provider.CredentialResolver;
import dev.switchboard.core.routing.Attempt;

/**
 * Credentials with bring your own key: a request may use its workspace's own provider keys
 * ({@link ByokRegistry#forCaller}), a BYOK attempt carries its key as it stands when the attempt starts
 * (a key replaced meanwhile is sent as replaced), and a key deleted or disabled since the request was
 * planned makes no further attempt. Every other attempt carries its provider's configured credential.
 * No I/O: everything is read from the registry's snapshot. Thread-safe.
 */
public final class ByokCredentials implements CredentialResolver {
    private final ByokRegistry registry;

    public ByokCredentials(ByokRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Credential resolve(Attempt attempt, ApiKey caller) {
        if (attempt.ownKey().isEmpty()) {
            return CredentialResolver.configured(attempt.provider());
        }
        OwnKey planned = attempt.ownKey().get();
        return registry.usable(planned.id()).orElse(planned.credential());
    }

    @Override
    public OwnKeys ownKeys(ApiKey caller) {
        return registry.forCaller(caller);
    }

    @Override
    public boolean withdrawn(Attempt attempt) {
        return attempt.ownKey().isPresent()
                && registry.usable(attempt.ownKey().get().id()).isEmpty();
    }
}
