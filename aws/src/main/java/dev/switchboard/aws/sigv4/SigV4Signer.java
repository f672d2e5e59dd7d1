package dev.switchboard.aws.sigv4;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Signs requests with AWS Signature Version 4, the signature in the {@code Authorization} header.
 *
 * <p>Design note. A signature is an HMAC-SHA256, under a key derived from the secret for the day, region
 * and service, of a "string to sign" that names the algorithm, the time, that scope and the SHA-256 of
 * the {@link CanonicalRequest}. The signer adds and signs {@code host}, {@code x-amz-date}, the session
 * token of temporary credentials and, when asked, {@code x-amz-content-sha256}. The service is the
 * service's <em>signing name</em>, which is not always its host's: Bedrock Runtime is reached at {@code
 * bedrock-runtime.<region>.amazonaws.com} but signs as {@code bedrock}.
 *
 * <p>Cost: the payload is hashed where it lies, the derived key is cached ({@link SigningKeys}) and its
 * keyed MAC cloned, so a signature costs two SHA-256 passes over small strings, one over the payload and
 * one HMAC, and allocates a few small strings; nothing in proportion to the payload. Thread-safe.
 */
public final class SigV4Signer {
    /** The algorithm name of the string to sign and of the {@code Authorization} header. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private final String service;
    private final boolean sendPayloadHash;
    private final SigningKeys keys;

    /** A signer for {@code service} (its signing name, {@code bedrock} for Bedrock Runtime). */
    public SigV4Signer(String service) {
        this(service, false);
    }

    /**
     * @param sendPayloadHash whether to add and sign {@code x-amz-content-sha256} (S3 requires it; other
     *                        services accept it)
     */
    public SigV4Signer(String service, boolean sendPayloadHash) {
        this.service = Objects.requireNonNull(service, "service");
        this.sendPayloadHash = sendPayloadHash;
        this.keys = new SigningKeys(service);
    }

    /** Signs {@code request}, whose body is {@code payload}, at {@code time}; returns the headers to add. */
    public SigV4Headers sign(
            SignableRequest request, byte[] payload, AwsCredentials credentials, String region, Instant time) {
        Signing signing = prepare(request, payload, credentials, region, time);
        String signature = keys.forDay(credentials.secretAccessKey(), signing.date(), region)
                .sign(signing.stringToSign());
        String authorization = ALGORITHM + " Credential=" + credentials.accessKeyId() + '/' + signing.scope()
                + ", SignedHeaders=" + signing.canonical().signedNames() + ", Signature=" + signature;
        return new SigV4Headers(
                signing.amzDate(),
                credentials.sessionToken(),
                sendPayloadHash ? signing.payloadHash() : "",
                authorization);
    }

    /** Everything but the signature itself: what the test suite's intermediate files show. */
    Signing prepare(SignableRequest request, byte[] payload, AwsCredentials credentials, String region, Instant time) {
        String amzDate = amzDate(time);
        String payloadHash = Sha256.hex(payload);
        List<HttpHeader> signed = new ArrayList<>(request.headers().size() + 4);
        signed.addAll(request.headers());
        signed.add(new HttpHeader("host", request.host()));
        signed.add(new HttpHeader("x-amz-date", amzDate));
        if (credentials.temporary()) {
            signed.add(new HttpHeader("x-amz-security-token", credentials.sessionToken()));
        }
        if (sendPayloadHash) {
            signed.add(new HttpHeader("x-amz-content-sha256", payloadHash));
        }
        CanonicalRequest canonical =
                CanonicalRequest.of(request.method(), request.rawPath(), request.rawQuery(), signed, payloadHash);
        String date = amzDate.substring(0, 8);
        String scope = scope(date, region, service);
        return new Signing(amzDate, date, scope, payloadHash, canonical, stringToSign(amzDate, scope, canonical));
    }

    /** The derived signing key for a day, in hex (for tests against published derivations). */
    String signingKeyHex(String secretAccessKey, String date, String region) {
        return keys.forDay(secretAccessKey, date, region).hex();
    }

    int cachedKeys() {
        return keys.size();
    }

    static String scope(String date, String region, String service) {
        return date + '/' + region + '/' + service + "/aws4_request";
    }

    static String stringToSign(String amzDate, String scope, CanonicalRequest canonical) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + Sha256.hex(canonical.text());
    }

    /** {@code yyyyMMdd'T'HHmmss'Z'} in UTC, without a formatter. */
    static String amzDate(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            throw new IllegalArgumentException("signing time out of range: " + time);
        }
        char[] out = new char[16];
        digits(t.getYear(), out, 0, 4);
        digits(t.getMonthValue(), out, 4, 2);
        digits(t.getDayOfMonth(), out, 6, 2);
        out[8] = 'T';
        digits(t.getHour(), out, 9, 2);
        digits(t.getMinute(), out, 11, 2);
        digits(t.getSecond(), out, 13, 2);
        out[15] = 'Z';
        return new String(out);
    }

    private static void digits(int value, char[] out, int at, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** One request's signing inputs. */
    record Signing(
            String amzDate,
            String date,
            String scope,
            String payloadHash,
            CanonicalRequest canonical,
            String stringToSign) {}
}
