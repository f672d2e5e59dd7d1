package dev.switchboard.aws.sigv4;

import java.util.List;
import java.util.Objects;

/**
 * What of an HTTP request the signature covers, exactly as it goes on the wire.
 *
 * @param method  the HTTP method, upper case
 * @param host    the {@code Host} header's value: the host, and {@code :port} when the port is not the
 *                scheme's default (a loopback simulator's is not)
 * @param rawPath the path as sent, percent-encoding included ({@code /model/a.b-v1%3A0/converse}); the
 *                signature encodes it once more, as AWS does for every service but S3
 * @param rawQuery the query as sent, without {@code ?}; empty for none
 * @param headers the headers to sign besides {@code host} and the {@code x-amz-*} ones the signer adds;
 *                header lines whose value a proxy could rewrite (length, user agent) are better left out
 */
public record SignableRequest(String method, String host, String rawPath, String rawQuery, List<HttpHeader> headers) {
    public SignableRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(rawQuery, "rawQuery");
        headers = List.copyOf(headers);
    }
}
