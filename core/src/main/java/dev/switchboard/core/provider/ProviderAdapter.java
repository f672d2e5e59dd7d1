package dev.switchboard.core.provider;

import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.Completion;

/**
 * Talks one wire format to providers (egress). An adapter translates the canonical request to its
 * provider's request, performs the call on the calling (virtual) thread, and decodes the answer into
 * canonical events ({@link EventStream}) or a {@link Completion} assembled from them. When the call asks
 * for it ({@link UpstreamCall#relayNative()}), it also hands on the provider's own chunks and body, for a
 * client of the same wire format.
 *
 * <p>It brackets every blocking upstream read with {@code CallControl.enterIo()} / {@code exitIo()} and
 * reports each upstream event with {@code activity()}, so that timeouts and client cancellation can
 * interrupt it. Failures are {@link dev.switchboard.core.upstream.UpstreamException}s classified by
 * {@link dev.switchboard.core.upstream.UpstreamFailure}. Implementations are thread-safe.
 *
 * <p>To add a provider kind: a package under {@code dev.switchboard.provider} with the adapter, its
 * {@link dev.switchboard.core.catalog.Connection} record, and one entry in {@code ProviderAdapters}.
 */
public interface ProviderAdapter {
    /** The kind's name, as in {@code kind:} of the configuration. */
    String kind();

    /** The wire format it speaks. */
    WireFormat wireFormat();

    /** Performs a non-streaming call. */
    Completion complete(UpstreamCall call);

    /** Opens a streaming call; the response status has been checked when this returns. */
    EventStream stream(UpstreamCall call);
}
