package dev.switchboard.core.provider;

import dev.switchboard.core.byok.OwnKey;
import dev.switchboard.core.byok.OwnKeys;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.routing.Attempt;

/**
 * Decides, per request, which credentials calls to providers use: the provider's configured credential,
 * or a workspace's own provider key (bring your own key), which routing plans as attempts of their own
 * ({@link Attempt#ownKey()}). Thread-safe.
 */
public interface CredentialResolver {
    /** The credential the attempt's call carries: its own key's (as it stands now), else the provider's. */
    Credential resolve(Attempt attempt, ApiKey caller);

    /** The caller's own provider keys for routing to place; none unless BYOK is wired in. */
    default OwnKeys ownKeys(ApiKey caller) {
        return OwnKeys.NONE;
    }

    /**
     * Whether the attempt's own key was deleted or disabled since the request was planned; the request
     * then makes no new attempt with it.
     */
    default boolean withdrawn(Attempt attempt) {
        return false;
    }

    /** The provider's configured credential, whoever calls; a planned own key's as it was planned. */
    CredentialResolver CONFIGURED = (attempt, caller) ->
            attempt.ownKey().map(OwnKey::credential).orElseGet(() -> configured(attempt.provider()));

    /** The credential of the provider's configuration. */
    static Credential configured(Provider provider) {
        return switch (provider.connection()) {
            case Connection.OpenAiCompatible openAi ->
                openAi.apiKey().isEmpty() ? Credential.NONE : new Credential.ApiKey(openAi.apiKey());
            case Connection.Anthropic anthropic ->
                anthropic.apiKey().isEmpty() ? Credential.NONE : new Credential.ApiKey(anthropic.apiKey());
        };
    }
}
