package dev.switchboard.server.errors;

import dev.switchboard.server.testing.GatewayHarness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Requests the harness cannot make: bodies as raw bytes (invalid UTF-8), and bodies sent with
 * {@code Transfer-Encoding: chunked} (an input-stream publisher has no length, so the JDK client
 * chunks it).
 */
final class RawRequests {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RawRequests() {}

    /** A POST with a {@code Content-Length} body of exactly these bytes. */
    static HttpResponse<String> post(GatewayHarness gateway, String path, String key, byte[] body) {
        return send(gateway, path, key, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** A POST whose body has no declared length and goes out chunked. */
    static HttpResponse<String> postChunked(GatewayHarness gateway, String path, String key, byte[] body) {
        return send(gateway, path, key, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }

    private static HttpResponse<String> send(
            GatewayHarness gateway, String path, String key, HttpRequest.BodyPublisher body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(body)
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
