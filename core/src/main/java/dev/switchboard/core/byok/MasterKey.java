package dev.switchboard.core.byok;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key that seals BYOK secrets, and its id: the first 8 bytes (16 hex digits) of the SHA-256
 * of a fixed label and the key, which tells which key sealed a stored secret without revealing the key.
 * Written as the base64 of its 32 bytes ({@code openssl rand -base64 32}). {@code toString} shows the id
 * only. Immutable.
 */
public final class MasterKey {
    public static final int BYTES = 32;
    private static final byte[] ID_LABEL = "switchboard byok master key id\0".getBytes(StandardCharsets.US_ASCII);

    private final SecretKey key;
    private final String id;

    private MasterKey(byte[] material) {
        this.key = new SecretKeySpec(material, "AES");
        this.id = idOf(material);
    }

    /**
     * Reads a key from the base64 of its 32 bytes; surrounding white space is ignored.
     *
     * @throws IllegalArgumentException when the text is not that; the message never quotes it
     */
    public static MasterKey parse(String base64) {
        byte[] material;
        try {
            material = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NOT_A_KEY);
        }
        if (material.length != BYTES) {
            Arrays.fill(material, (byte) 0);
            throw new IllegalArgumentException(NOT_A_KEY);
        }
        return new MasterKey(material);
    }

    /** What a text that is not a master key is told; it never quotes the text. */
    public static final String NOT_A_KEY =
            "must be the base64 of 32 random bytes (make one with: openssl rand -base64 32)";

    /** A fresh random key. */
    public static MasterKey generate(SecureRandom random) {
        byte[] material = new byte[BYTES];
        random.nextBytes(material);
        return new MasterKey(material);
    }

    /** Whether {@code base64} is a master key, for validating configuration. */
    public static boolean valid(String base64) {
        try {
            parse(base64);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return key;
    }

    /** The base64 of the key, to be written to its file and nowhere else. */
    String encoded() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static String idOf(byte[] material) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ID_LABEL);
            byte[] hash = digest.digest(material);
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + id + "]";
    }
}
