package dev.switchboard.aws.sigv4;

import java.util.Map;
import java.util.Objects;

/**
 * The headers a signature adds to its request. {@code toString} shows no token and no signature.
 *
 * @param amzDate       {@code X-Amz-Date}, the signing time ({@code 20150830T123600Z})
 * @param securityToken {@code X-Amz-Security-Token}, empty unless the credentials are temporary
 * @param contentSha256 {@code X-Amz-Content-Sha256}, empty unless the signer was asked to send it
 * @param authorization {@code Authorization}
 */
public record SigV4Headers(String amzDate, String securityToken, String contentSha256, String authorization) {
    public SigV4Headers {
        Objects.requireNonNull(amzDate, "amzDate");
        Objects.requireNonNull(securityToken, "securityToken");
        Objects.requireNonNull(contentSha256, "contentSha256");
        Objects.requireNonNull(authorization, "authorization");
    }

    /** Puts the headers into a request's header map. */
    public void addTo(Map<String, String> headers) {
        headers.put("X-Amz-Date", amzDate);
        if (!securityToken.isEmpty()) {
            headers.put("X-Amz-Security-Token", securityToken);
        }
        if (!contentSha256.isEmpty()) {
            headers.put("X-Amz-Content-Sha256", contentSha256);
        }
        headers.put("Authorization", authorization);
    }

    @Override
    public String toString() {
        return "SigV4Headers[amzDate=" + amzDate + "]";
    }
}
