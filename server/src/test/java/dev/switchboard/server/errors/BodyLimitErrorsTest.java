package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code server.max_body_bytes}: a body over the limit is a 413 envelope whether its length is
 * declared ({@code Content-Length}) or only discovered while reading (chunked), just over the limit
 * or far over it; a body at the limit is served, and a chunked body that goes on past the limit is
 * cut off rather than drained.
 */
class BodyLimitErrorsTest {
    private static final int LIMIT = 4096;
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
    void rejectsADeclaredLengthJustOverTheLimit() {
        HttpResponse<String> response =
                RawRequests.post(gateway, "/chat/completions", gateway.apiKey(), bodyOf(LIMIT + 1));

        expectTooLarge(response);
    }

    @Test
    void rejectsADeclaredLengthFarOverTheLimit() {
        HttpResponse<String> response =
                RawRequests.post(gateway, "/chat/completions", gateway.apiKey(), bodyOf(LIMIT * 4));

        expectTooLarge(response);
    }

    @Test
    void rejectsAChunkedBodyOverTheLimit() {
        HttpResponse<String> response =
                RawRequests.postChunked(gateway, "/chat/completions", gateway.apiKey(), bodyOf(LIMIT * 2));

        expectTooLarge(response);
    }

    @Test
    void servesABodyExactlyAtTheLimit() {
        HttpResponse<String> atLimit = RawRequests.post(gateway, "/chat/completions", gateway.apiKey(), bodyOf(LIMIT));
        HttpResponse<String> chunked =
                RawRequests.postChunked(gateway, "/chat/completions", gateway.apiKey(), bodyOf(LIMIT));

        assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(200);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(200);
    }

    @Test
    void keepsServingAfterRejectingABody() {
        RawRequests.postChunked(gateway, "/chat/completions", gateway.apiKey(), bodyOf(LIMIT * 2));
        RawRequests.post(gateway, "/chat/completions", gateway.apiKey(), bodyOf(LIMIT * 4));

        HttpResponse<String> response = RawRequests.post(gateway, "/chat/completions", gateway.apiKey(), bodyOf(200));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /**
     * A client that keeps sending after its chunked body went over the limit: once the 413 is out the
     * gateway must hang up rather than read and discard whatever comes, without end.
     */
    @Test
    void hangsUpOnAChunkedBodyThatGoesOnAfterTheLimit() throws Exception {
        URI url = gateway.baseUrl();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                            + gateway.apiKey()
                            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            FutureTask<Long> sender = new FutureTask<>(() -> sendChunksUntilRefused(out, 1L << 30));
            Thread.ofVirtual().start(sender);

            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();

            assertThat(status).contains(" 413");
            assertThat(sender.get(30, TimeUnit.SECONDS))
                    .as("bytes the gateway took before hanging up")
                    .isLessThan(1L << 30);
        }
    }

    /** Writes 8 KiB chunks until {@code limit} bytes or until the server hangs up; returns the bytes sent. */
    private static long sendChunksUntilRefused(OutputStream out, long limit) {
        byte[] chunk = ("2000\r\n" + "x".repeat(8192) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long sent = 0;
        try {
            while (sent < limit) {
                out.write(chunk);
                sent += 8192;
            }
        } catch (IOException refused) {
            // the gateway closed the connection
        }
        return sent;
    }

    /** A 413 with the limit in its message; the unread rest of the body makes the connection unusable. */
    private static void expectTooLarge(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Connection"))
                .hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("close"));
        JsonNode error = ErrorEnvelope.expect(response, 413);
        assertThat(error.path("message").asText()).contains(Integer.toString(LIMIT));
    }

    /** A valid chat request of exactly {@code size} bytes, padded in the prompt. */
    private static byte[] bodyOf(int size) {
        String head = "{\"model\":\"acme/chat-small\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"";
        String tail = "\"}]}";
        String body = head + "x".repeat(size - head.length() - tail.length()) + tail;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).hasSize(size);
        return bytes;
    }
}
