package dev.switchboard.aws.sigv4;

/**
 * Why AWS would refuse a request's signature, with the error type and message AWS's services answer
 * with (all with status 403). The messages never quote a secret.
 */
public enum SigV4Refusal {
    /** No {@code Authorization} header. */
    MISSING_AUTHENTICATION("MissingAuthenticationTokenException", "Missing Authentication Token"),
    /** An {@code Authorization} header that is not a SigV4 one, or lacks a part. */
    INCOMPLETE_SIGNATURE(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters."),
    /** An access key id the service does not know. */
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", "The security token included in the request is invalid."),
    /** Signed for another service (such as {@code bedrock-runtime} instead of {@code bedrock}). */
    WRONG_SERVICE("InvalidSignatureException", "Credential should be scoped to correct service."),
    /** {@code x-amz-date} missing, unsigned, not matching the scope's day, or too far from the server's clock. */
    SIGNATURE_EXPIRED("InvalidSignatureException", "Signature expired or not yet valid."),
    /** A signed request that must carry the credentials' session token does not. */
    MISSING_SESSION_TOKEN("UnrecognizedClientException", "The security token included in the request is invalid."),
    /** The signature is not the one the service computes. */
    SIGNATURE_MISMATCH(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret"
                    + " Access Key and signing method.");

    private final String errorType;
    private final String message;

    SigV4Refusal(String errorType, String message) {
        this.errorType = errorType;
        this.message = message;
    }

    /** The exception name AWS sends in {@code x-amzn-ErrorType}. */
    public String errorType() {
        return errorType;
    }

    public String message() {
        return message;
    }

    /** The HTTP status: 403 for every signature failure. */
    public int status() {
        return 403;
    }
}
