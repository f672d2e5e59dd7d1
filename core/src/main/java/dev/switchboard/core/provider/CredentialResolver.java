package dev.switchboard.core.provider;

import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.keys.ApiKey;

/**
 * Decides, per request, which credential a call to a provider uses. Today that is the provider's own
 * configured credential; a workspace's own provider key (bring your own key) plugs in here, chosen by
 * the calling key. Thread-safe.
 */
public interface CredentialResolver {
    Credential resolve(Provider provider, ApiKey caller);

    /** The provider's configured credential, whoever calls. */
    CredentialResolver CONFIGURED = (provider, caller) -> switch (provider.connection()) {
        case Connection.OpenAiCompatible openAi ->
            openAi.apiKey().isEmpty() ? Credential.NONE : new Credential.ApiKey(openAi.apiKey());
    };
}
