package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Content-Encoding} on request bodies: gzip is decompressed, with the body limit applied to what
 * it expands to; the encodings the gateway does not decode are refused with 415 saying so; responses are
 * never compressed, whatever the client accepts.
 */
class RequestEncodingTest {
    private static final int LIMIT = 64 * 1024;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String CHAT =
            "{\"model\":\"acme/chat-small\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(Map.of(), "server:\n  max_body_bytes: " + LIMIT + "\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void servesAGzipCompressedBody() {
        HttpResponse<String> response = post(gzip(CHAT.getBytes(StandardCharsets.UTF_8)), "gzip");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(response)
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isNotEmpty();
    }

    @Test
    void refusesAGzipBodyThatExpandsPastTheLimit() {
        String padded = CHAT.replace("\"hi\"", "\"" + " ".repeat(LIMIT) + "hi\"");
        byte[] compressed = gzip(padded.getBytes(StandardCharsets.UTF_8));
        assertThat(compressed.length).as("small on the wire").isLessThan(LIMIT / 10);

        HttpResponse<String> response = post(compressed, "gzip");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(error(response).path("message").asText()).contains(Integer.toString(LIMIT));
    }

    @Test
    void refusesABodyThatSaysGzipButIsNot() {
        HttpResponse<String> response = post(CHAT.getBytes(StandardCharsets.UTF_8), "gzip");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText())
                .isEqualTo("Request body is not valid gzip data (Content-Encoding: gzip)");
        assertThat(response.headers().firstValue("Connection"))
                .as("the rest of the body was not read: the client must not reuse the connection")
                .hasValue("close");
    }

    @Test
    void refusesAnEncodingItDoesNotDecodeWith415SayingWhy() {
        HttpResponse<String> response = post(CHAT.getBytes(StandardCharsets.UTF_8), "br");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(error(response).path("message").asText())
                .contains("not supported")
                .contains("Content-Encoding: gzip");
        assertThat(response.headers().firstValue("Connection")).hasValue("close");
    }

    @Test
    void aRefusedBodyLeavesNoFailureOfTheGatewayInTheLog() {
        for (String encoding : new String[] {"gzip", "br"}) {
            assertThat(post(CHAT.getBytes(StandardCharsets.UTF_8), encoding).statusCode())
                    .isIn(400, 415);
        }
        // then a request on a fresh connection works: nothing was left half-read on a reused one
        assertThat(post(gzip(CHAT.getBytes(StandardCharsets.UTF_8)), "gzip").statusCode())
                .isEqualTo(200);
    }

    @Test
    void neverCompressesAResponse() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/models"))
                .header("Accept-Encoding", "gzip, deflate, br")
                .GET()
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.body()).startsWith("{");
    }

    private static JsonNode error(HttpResponse<String> response) {
        return GatewayHarness.json(response).path("error");
    }

    private static HttpResponse<String> post(byte[] body, String encoding) {
        return send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + gateway.apiKey())
                .header("Content-Type", "application/json")
                .header("Content-Encoding", encoding)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
