package dev.switchboard.core.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes and fingerprints key secrets. A secret is {@code sk-sb-v1-} followed by 64 hex digits
 * (256 random bits); it is stored only as its SHA-256 hex digest.
 */
public final class KeySecrets {
    public static final String PREFIX = "sk-sb-v1-";
    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();

    /** A fresh random secret. */
    public String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + HEX.formatHex(bytes);
    }

    /** SHA-256 of the secret, lowercase hex. Thread-safe. */
    public static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** A masked form of the secret that identifies it to a person, e.g. {@code sk-sb-v1-3f2...9ab}. */
    public static String label(String secret) {
        String body = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        String prefix = secret.startsWith(PREFIX) ? PREFIX : "";
        if (body.length() < 8) {
            return prefix + "...";
        }
        return prefix + body.substring(0, 3) + "..." + body.substring(body.length() - 3);
    }
}
