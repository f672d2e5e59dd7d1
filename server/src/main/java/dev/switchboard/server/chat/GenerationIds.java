package dev.switchboard.server.chat;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes generation ids in OpenRouter's style: {@code gen-<unix seconds>-<20 random letters and digits>}.
 * Ids are not secrets: {@code GET /generation} serves a record only to the key that made it (or a
 * management key). So the random part comes from {@link ThreadLocalRandom}, which costs nothing under
 * contention, unlike a shared {@code SecureRandom}. 20 characters of 62 make collisions negligible.
 * Thread-safe.
 */
public final class GenerationIds {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private final Clock clock;

    public GenerationIds(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(40)
                .append("gen-")
                .append(clock.millis() / 1000)
                .append('-');
        for (int i = 0; i < 20; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
