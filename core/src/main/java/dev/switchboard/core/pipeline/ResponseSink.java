package dev.switchboard.core.pipeline;

import dev.switchboard.core.accounting.Settlement;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.StreamEvent;

/**
 * The client's side of one request, in the client's API (the ingress dialect) and mode (streamed or
 * whole). The pipeline drives it on the request's thread in one of these orders:
 * <ul>
 *   <li>streamed: {@link #open}, {@link #commit}, {@link #event} for each event, then {@link #finish}
 *       or (failure after commit) {@link #fail};</li>
 *   <li>whole: {@link #open}, {@link #commit}, {@link #complete};</li>
 *   <li>no attempt answered: {@link #open}, {@link #fail}.</li>
 * </ul>
 * Every method that writes to the client throws {@link ClientGoneException} when the client's
 * connection has failed; any other exception is a bug.
 */
public interface ResponseSink {
    /** The wire format the client speaks; a provider of the same one is relayed natively. */
    WireFormat wireFormat();

    /**
     * The request is about to be sent upstream. A streaming sink may keep the client's connection busy
     * while it waits (keep-alive comments), and calls {@code clientGone} if it finds the client gone.
     */
    void open(Runnable clientGone);

    /**
     * An attempt answered with content: the response now belongs to it (its provider, its model).
     *
     * @param relayNative whether the attempt's provider speaks the client's wire format, so that its
     *                    events are followed by {@link StreamEvent.Native} chunks to send instead of the
     *                    canonical events
     */
    void commit(Attempt attempt, boolean relayNative);

    /** One event of the committed attempt's stream. */
    void event(StreamEvent event);

    /** The stream ended well; {@code settlement} is what it was billed. The last bytes of the response. */
    void finish(Settlement settlement);

    /** The whole answer of a non-streamed request, and what it was billed. */
    void complete(Completion completion, Settlement settlement);

    /** The request failed: the whole response when nothing was committed, else its in-band end. */
    void fail(GatewayException error);

    /**
     * Whether the client asked for routing metadata ({@code X-OpenRouter-Metadata: enabled}); only then
     * is it gathered and handed to {@link #metadata}.
     */
    default boolean wantsMetadata() {
        return false;
    }

    /** What routing did, just before {@link #finish}, {@link #complete} or {@link #fail}, to go with them. */
    default void metadata(RouterMetadata metadata) {}
}
