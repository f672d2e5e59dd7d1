package dev.switchboard.core.provider;

import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.model.chat.ChatRequest;
import java.util.Objects;

/**
 * One call to a provider: what to ask, where, with which credential, under which control.
 *
 * @param credential  resolved for this request ({@link CredentialResolver})
 * @param relayNative whether the client speaks the adapter's wire format, so that the provider's own
 *                    chunks and body are to be handed on beside the canonical events
 */
public record UpstreamCall(
        Attempt attempt, ChatRequest request, Credential credential, CallControl control, boolean relayNative) {
    public UpstreamCall {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(control, "control");
    }
}
