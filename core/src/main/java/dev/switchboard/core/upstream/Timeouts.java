package dev.switchboard.core.upstream;

import java.time.Duration;
import java.util.Objects;

/**
 * The four separate limits on one upstream attempt.
 *
 * @param connect   TCP connect to the provider
 * @param firstByte from sending the request to the first response event (headers of a non-streaming
 *                  body, the first chunk of a stream); reasoning models may think for long, so this is
 *                  generous by default
 * @param idle      longest silence between two stream chunks
 * @param total     the whole exchange, first byte to last
 */
public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(firstByte, "firstByte");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(total, "total");
    }

    /** These timeouts with {@code total} instead, for an attempt that has less of the request's time left. */
    public Timeouts withTotal(Duration newTotal) {
        return new Timeouts(connect, firstByte, idle, newTotal);
    }

    /** Defaults: connect 5 s, first byte 120 s, idle 60 s, total 600 s. */
    public static Timeouts defaults() {
        return new Timeouts(
                Duration.ofSeconds(5), Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(600));
    }
}
