package dev.switchboard.aws.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Checks a request's SigV4 signature as an AWS service does: the {@code Authorization} header's scope
 * must name this service, a known access key id and the day of {@code x-amz-date}, which must be within
 * the allowed clock skew and, with {@code host}, among the signed headers; then the signature is computed
 * again over the headers the request says it signed and compared in constant time. For test instruments
 * (the upstream simulator), which know the secrets of the credentials they accept. Thread-safe.
 */
public final class SigV4Verifier {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private final String service;
    private final Function<String, Optional<AwsCredentials>> credentialsById;
    private final Duration maxSkew;
    private final Clock clock;
    private final SigningKeys keys;

    /**
     * @param service         the signing name requests must be scoped to ({@code bedrock})
     * @param credentialsById the credentials of an access key id, if it is known
     * @param maxSkew         how far {@code x-amz-date} may be from the clock (AWS allows 5 minutes)
     */
    public SigV4Verifier(
            String service, Function<String, Optional<AwsCredentials>> credentialsById, Duration maxSkew, Clock clock) {
        this.service = service;
        this.credentialsById = credentialsById;
        this.maxSkew = maxSkew;
        this.clock = clock;
        this.keys = new SigningKeys(service);
    }

    /**
     * Why the request would be refused, or empty when its signature is valid.
     *
     * @param request every header of the request as received ({@code host} may be among them or not:
     *                {@code request.host()} is what is signed)
     */
    public Optional<SigV4Refusal> verify(SignableRequest request, byte[] payload) {
        String authorization = header(request.headers(), "authorization");
        if (authorization == null) {
            return Optional.of(SigV4Refusal.MISSING_AUTHENTICATION);
        }
        Authorization parsed = Authorization.parse(authorization);
        if (parsed == null) {
            return Optional.of(SigV4Refusal.INCOMPLETE_SIGNATURE);
        }
        return verify(request, payload, parsed);
    }

    private Optional<SigV4Refusal> verify(SignableRequest request, byte[] payload, Authorization auth) {
        if (!auth.service().equals(service)) {
            return Optional.of(SigV4Refusal.WRONG_SERVICE);
        }
        Optional<AwsCredentials> known = credentialsById.apply(auth.accessKeyId());
        if (known.isEmpty()) {
            return Optional.of(SigV4Refusal.UNRECOGNIZED_CLIENT);
        }
        AwsCredentials credentials = known.get();
        String amzDate = header(request.headers(), "x-amz-date");
        if (amzDate == null
                || !auth.signedNames().containsAll(Set.of("host", "x-amz-date"))
                || !amzDate.startsWith(auth.date())
                || !withinSkew(amzDate)) {
            return Optional.of(SigV4Refusal.SIGNATURE_EXPIRED);
        }
        if (credentials.temporary()
                && (!credentials.sessionToken().equals(header(request.headers(), "x-amz-security-token"))
                        || !auth.signedNames().contains("x-amz-security-token"))) {
            return Optional.of(SigV4Refusal.MISSING_SESSION_TOKEN);
        }
        return signatureMatches(request, payload, auth, credentials, amzDate)
                ? Optional.empty()
                : Optional.of(SigV4Refusal.SIGNATURE_MISMATCH);
    }

    private boolean signatureMatches(
            SignableRequest request, byte[] payload, Authorization auth, AwsCredentials credentials, String amzDate) {
        List<HttpHeader> signed = new ArrayList<>();
        signed.add(new HttpHeader("host", request.host()));
        for (HttpHeader header : request.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (!name.equals("host") && auth.signedNames().contains(name)) {
                signed.add(header);
            }
        }
        CanonicalRequest canonical = CanonicalRequest.of(
                request.method(), request.rawPath(), request.rawQuery(), signed, Sha256.hex(payload));
        if (!canonical.signedNames().equals(String.join(";", auth.signedNamesInOrder()))) {
            return false; // a header said to be signed is missing
        }
        String scope = SigV4Signer.scope(auth.date(), auth.region(), service);
        String expected = keys.forDay(credentials.secretAccessKey(), auth.date(), auth.region())
                .sign(SigV4Signer.stringToSign(amzDate, scope, canonical));
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), auth.signature().getBytes(StandardCharsets.US_ASCII));
    }

    private boolean withinSkew(String amzDate) {
        try {
            Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
            return Duration.between(signedAt, clock.instant()).abs().compareTo(maxSkew) <= 0;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static @Nullable String header(List<HttpHeader> headers, String name) {
        for (HttpHeader header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value().strip();
            }
        }
        return null;
    }

    /** The parts of a SigV4 {@code Authorization} header. */
    private record Authorization(
            String accessKeyId,
            String date,
            String region,
            String service,
            List<String> signedNamesInOrder,
            Set<String> signedNames,
            String signature) {
        static @Nullable Authorization parse(String header) {
            if (!header.startsWith(SigV4Signer.ALGORITHM + " ")) {
                return null;
            }
            String credential = null;
            String signedHeaders = null;
            String signature = null;
            for (String part :
                    header.substring(SigV4Signer.ALGORITHM.length() + 1).split(",", -1)) {
                String p = part.strip();
                if (p.startsWith("Credential=")) {
                    credential = p.substring("Credential=".length());
                } else if (p.startsWith("SignedHeaders=")) {
                    signedHeaders = p.substring("SignedHeaders=".length());
                } else if (p.startsWith("Signature=")) {
                    signature = p.substring("Signature=".length());
                }
            }
            if (credential == null || signedHeaders == null || signature == null) {
                return null;
            }
            String[] scope = credential.split("/", -1);
            if (scope.length != 5 || !scope[4].equals("aws4_request") || signedHeaders.isEmpty()) {
                return null;
            }
            List<String> names = List.of(signedHeaders.split(";", -1));
            return new Authorization(scope[0], scope[1], scope[2], scope[3], names, Set.copyOf(names), signature);
        }
    }
}
