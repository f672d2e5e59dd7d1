package dev.switchboard.aws.sigv4;

import java.util.Objects;

/**
 * The credentials a request is signed with. {@code toString} shows the access key id only: it is an
 * identifier, not a secret, and it is what an operator needs to tell credentials apart.
 *
 * @param accessKeyId     the access key id ({@code AKIA...}, or {@code ASIA...} for temporary credentials)
 * @param secretAccessKey the secret access key; never logged
 * @param sessionToken    the session token of temporary credentials, empty for long-term ones
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public AwsCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        if (accessKeyId.isBlank() || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("an access key id and a secret access key are both required");
        }
    }

    /** Long-term credentials, without a session token. */
    public static AwsCredentials of(String accessKeyId, String secretAccessKey) {
        return new AwsCredentials(accessKeyId, secretAccessKey, "");
    }

    /** Whether these are temporary credentials, whose session token is sent and signed. */
    public boolean temporary() {
        return !sessionToken.isEmpty();
    }

    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<secret>"
                + (temporary() ? ", sessionToken=<secret>" : "") + "]";
    }
}
