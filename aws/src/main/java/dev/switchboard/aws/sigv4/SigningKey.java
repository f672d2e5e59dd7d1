package dev.switchboard.aws.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key a day's signatures in one region and service are made with, derived from the secret access
 * key by four HMAC-SHA256 steps ({@code "AWS4" + secret}, then the date, the region, the service and
 * {@code aws4_request}). It holds a MAC already keyed with it, which each signature clones: keying a MAC
 * and looking up its algorithm cost more than the signature itself. Thread-safe: the prototype is never
 * updated, only cloned.
 */
final class SigningKey {
    private static final String HMAC = "HmacSHA256";
    private final byte[] key;
    private final Mac prototype;

    private SigningKey(byte[] key) {
        this.key = key;
        this.prototype = keyedMac(key);
    }

    static SigningKey derive(String secretAccessKey, String date, String region, String service) {
        byte[] dateKey = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        byte[] regionKey = hmac(dateKey, region);
        byte[] serviceKey = hmac(regionKey, service);
        return new SigningKey(hmac(serviceKey, "aws4_request"));
    }

    /** The hex signature of a string to sign. */
    String sign(String stringToSign) {
        return Sha256.HEX.formatHex(mac().doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    /** The key in hex, for comparing with published derivations. */
    String hex() {
        return Sha256.HEX.formatHex(key);
    }

    private Mac mac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return keyedMac(key);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        return keyedMac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac keyedMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime has " + HMAC, e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[<secret>]";
    }
}
