package dev.switchboard.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * The simulator's extended thinking: words, and a signature that proves them unaltered.
 *
 * <p>Design: the signature is the Base64 of SHA-256 over a fixed prefix and the text, so the simulator
 * can check a {@code thinking} block sent back on a later turn without keeping state, and refuses one
 * whose text or signature was changed, as Anthropic does ({@link #signs} says which it can check). Redacted thinking is Base64 of a fixed
 * marker and the answer's id. Stateless.
 */
final class AnthropicThinkingText {
    private static final String SIGNED_PREFIX = "switchboard-simulator-thinking:";
    static final String REDACTED_PREFIX = "switchboard-simulator-redacted:";
    private static final int SIGNATURE_BYTES = 32;

    private AnthropicThinkingText() {}

    /** {@code count} thinking words, the same for the same seed. */
    static String words(int count, long seed, WordList words) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder(count * 8);
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(words.word(random.nextInt(words.size())));
        }
        return text.toString();
    }

    static String signature(String thinking) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((SIGNED_PREFIX + thinking).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Whether {@code signature} may stand for {@code thinking}: it is the simulator's signature of it, or it
     * is not of the simulator's shape at all (Base64 of 32 bytes) and so cannot be checked here (a test's
     * placeholder, or another simulator's). A signature of the simulator's shape for other text is refused.
     */
    static boolean signs(String thinking, String signature) {
        return !ownShape(signature) || signature(thinking).equals(signature);
    }

    private static boolean ownShape(String signature) {
        try {
            return Base64.getDecoder().decode(signature).length == SIGNATURE_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String redacted(String answerId) {
        return Base64.getEncoder().encodeToString((REDACTED_PREFIX + answerId).getBytes(StandardCharsets.UTF_8));
    }
}
