package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.LogCapture;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prompts and secrets never reach a log line or the console, whatever goes wrong: bad requests,
 * oversized bodies, provider errors, timeouts, disconnects. Every request carries a prompt with a
 * unique marker; afterwards neither the marker, nor the client's key, nor the provider's
 * {@code api_key} may appear in anything logged or printed. Error responses to the client never
 * carry the provider's {@code api_key} either.
 */
class NoSecretsInLogsTest {
    private static final String UPSTREAM_SECRET = "sk-upstream-secret-not-for-clients";
    private static final String PRESENTED_SECRET = "sk-sb-v1-leakcheck-0123456789abcdef0123456789abcdef";
    private static GatewayHarness gateway;
    private final List<String> responses = new ArrayList<>();
    private String marker;
    private LogCapture logs;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(Map.of(), "server:\n  max_body_bytes: 4096\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void capture() {
        marker = "PROMPT-MARKER-" + UUID.randomUUID();
        logs = LogCapture.start();
    }

    @AfterEach
    void release() {
        logs.close();
    }

    @Test
    void capturesTheGatewaysOwnDebugLines() {
        System.getLogger("dev.switchboard.server.errors").log(System.Logger.Level.DEBUG, "capture check " + marker);

        assertThat(logs.text()).contains("capture check " + marker);
    }

    @Test
    void keepsPromptsAndSecretsOutOfLogsOnBadRequests() {
        chat("{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]");
        chat("{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}], "
                + marker + "}");
        chat("{\"model\":\"acme/chat-small\",\"temperature\":\"" + marker + "\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]}");
        chat("{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"" + marker + "\",\"content\":\"" + marker
                + "\"}]}");
        chat("{\"model\":\"" + marker + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]}");
        chat(request("\"provider\":{\"only\":[\"" + marker + "\"]}"));
        chat(request("\"simulator\":{\"fault\":\"" + marker + "\"}"));
        record(gateway.send("POST", "/chat/completions", PRESENTED_SECRET, request(""), Map.of()));
        record(gateway.send("POST", "/chat/completions", GatewayHarness.ADMIN_KEY, request(""), Map.of()));

        assertThat(responses).allMatch(body -> body.contains("\"error\""));
        assertNothingLeaked();
    }

    @Test
    void keepsPromptsAndSecretsOutOfLogsOnOversizedOrBrokenBodies() {
        String big = request("\"padding\":\"" + "x".repeat(8192) + "\"");
        record(RawRequests.post(gateway, "/chat/completions", gateway.apiKey(), big.getBytes(StandardCharsets.UTF_8)));
        record(RawRequests.postChunked(
                gateway, "/chat/completions", gateway.apiKey(), big.getBytes(StandardCharsets.UTF_8)));
        // chunked framing without chunk sizes: the server's parser meets the prompt where a size should be
        String unframed =
                "POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + gateway.apiKey()
                        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + request("") + "\r\n0\r\n\r\n";
        try (RawConnection connection =
                RawConnection.send(gateway.baseUrl(), unframed.getBytes(StandardCharsets.UTF_8))) {
            responses.add(connection.body());
        }

        assertThat(responses).allMatch(body -> body.contains("\"error\""));
        assertNothingLeaked();
    }

    @Test
    void keepsPromptsAndSecretsOutOfLogsOnProviderErrors() {
        chat(request("\"simulator\":{\"fault\":\"status\",\"status\":500}"));
        chat(request("\"simulator\":{\"fault\":\"status\",\"status\":400}"));
        chat(request("\"simulator\":{\"fault\":\"empty_body\"}"));
        chat(request("\"simulator\":{\"fault\":\"malformed_chunk\"}"));
        chat(request("\"simulator\":{\"fault\":\"reset_mid_stream\"}"));
        chat("{\"model\":\"acme/offline\",\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]}");
        chat("{\"model\":\"acme/locked\",\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]}");
        stream(request("\"stream\":true,\"simulator\":{\"fault\":\"malformed_chunk\",\"fault_after_tokens\":1}"));
        stream(request("\"stream\":true,\"simulator\":{\"fault\":\"reset_mid_stream\",\"fault_after_tokens\":1}"));

        assertNothingLeaked();
    }

    @Test
    void keepsPromptsAndSecretsOutOfLogsOnTimeouts() {
        chat(request("\"simulator\":{\"fault\":\"hang_before_headers\",\"hang_ms\":3000}"));
        stream(
                request(
                        "\"stream\":true,\"simulator\":{\"fault\":\"stall_mid_stream\",\"fault_after_tokens\":1,\"hang_ms\":3000}"));

        assertThat(responses).anyMatch(body -> body.contains("\"code\":504"));
        assertNothingLeaked();
    }

    @Test
    void keepsPromptsAndSecretsOutOfLogsWhenTheClientDisconnects() throws InterruptedException {
        long aborted = gateway.simulator().stats().abortedStreams();
        String id;
        try (RawConnection connection = RawConnection.post(
                URI.create(gateway.baseUrl() + "/chat/completions"),
                gateway.apiKey(),
                request("\"stream\":true,\"simulator\":{\"tokens_per_second\":10,\"output_tokens\":100}"))) {
            id = connection.header("X-Generation-Id");
            connection.readUntil(line -> line.startsWith("data: {"), 2);
        }
        assertThat(gateway.simulator().stats().awaitAbortedStreams(aborted + 1, Duration.ofSeconds(10)))
                .isTrue();
        assertThat(Generations.await(gateway, id, Duration.ofSeconds(10))
                        .path("cancelled")
                        .asBoolean())
                .isTrue();

        assertNothingLogged();
    }

    @Test
    void keepsPromptsAndSecretsOutOfLogsOnSuccess() {
        chat(request(""));
        stream(request("\"stream\":true"));

        assertNothingLeaked();
    }

    private void assertNothingLeaked() {
        assertNothingLogged();
        assertThat(responses).as("responses").isNotEmpty().noneMatch(body -> body.contains(UPSTREAM_SECRET));
    }

    private void assertNothingLogged() {
        String logged = logs.text();
        assertThat(logged)
                .as("logs")
                .doesNotContain(marker)
                .doesNotContain(UPSTREAM_SECRET)
                .doesNotContain(gateway.apiKey())
                .doesNotContain(GatewayHarness.ADMIN_KEY)
                .doesNotContain(PRESENTED_SECRET);
    }

    /** A valid chat request whose prompt carries the marker, with extra top-level fields. */
    private String request(String extra) {
        return "{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"user\",\"content\":\"Secret plan: " + marker
                + "\"}]" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private void chat(String body) {
        record(gateway.post("/chat/completions", body));
    }

    private void stream(String body) {
        StreamedResponse stream = gateway.stream(body, Map.of());
        responses.add(String.join("\n", stream.lines()));
    }

    private void record(HttpResponse<String> response) {
        responses.add(response.body());
    }
}
