package dev.switchboard.core.provider;

import dev.switchboard.core.chat.ChatRequest;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.CallControl;

/**
 * Talks one wire format. An adapter translates the canonical {@link ChatRequest} to its provider's
 * request, performs the call on the calling (virtual) thread, and translates the answer back to the
 * canonical shapes. It brackets every blocking upstream read with {@link CallControl#enterIo()} and
 * {@link CallControl#exitIo()} and reports each upstream event with {@link CallControl#activity()},
 * so that timeouts and client cancellation can interrupt it.
 *
 * <p>Failures are {@link dev.switchboard.core.upstream.UpstreamException}s classified by
 * {@link dev.switchboard.core.upstream.UpstreamFailure}. Implementations are thread-safe.
 */
public interface ProviderAdapter {
    /** The wire format's name, as in {@code kind:} of the configuration. */
    String kind();

    /** Performs a non-streaming call. */
    Completion complete(Attempt attempt, ChatRequest request, CallControl control);

    /** Opens a streaming call; the response status has been checked when this returns. */
    EventStream stream(Attempt attempt, ChatRequest request, CallControl control);
}
