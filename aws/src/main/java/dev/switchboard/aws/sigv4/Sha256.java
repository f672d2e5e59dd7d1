package dev.switchboard.aws.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in lower-case hex, as SigV4 writes hashes. A digest is cloned from a prototype that is never
 * updated: cheaper than {@code MessageDigest.getInstance}, which looks the algorithm up among the
 * security providers on every call.
 */
final class Sha256 {
    static final HexFormat HEX = HexFormat.of();
    private static final MessageDigest PROTOTYPE = newDigest();
    /** The hash of an empty payload. */
    static final String EMPTY = hex(new byte[0]);

    private Sha256() {}

    static String hex(byte[] bytes) {
        return HEX.formatHex(digest().digest(bytes));
    }

    static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newDigest();
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
