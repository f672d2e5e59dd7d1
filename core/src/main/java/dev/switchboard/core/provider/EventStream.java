package dev.switchboard.core.provider;

import dev.switchboard.model.response.StreamEvent;

/**
 * A pull-based stream of canonical {@link StreamEvent}s from one upstream response. Blocking; used by one
 * thread at a time. Closing it before {@link StreamEvent.End} abandons the upstream connection.
 */
public interface EventStream extends AutoCloseable {
    /**
     * The next event; {@link StreamEvent.End} once the provider finished, and again on every later call.
     *
     * @throws dev.switchboard.core.upstream.UpstreamException when the stream breaks, times out or the
     *         provider reports a failure in it
     */
    StreamEvent next();

    @Override
    void close();
}
