package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request smuggling through unread bodies: whatever a handler does not read must never be parsed as
 * a further request on the same connection. The hidden request in each case is a {@code GET /key}
 * with a valid key, which would answer 200 with the key's details if it were executed.
 */
class ConnectionHygieneTest {
    private static final int LIMIT = 2 * RequestBodies.MAX_DRAIN_BYTES;
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static GatewayHarness gateway;
    private static URI server;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(Map.of(), "server:\n  max_body_bytes: " + LIMIT + "\n");
        server = gateway.baseUrl();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void closesAfterAnsweringAClientThatAskedToCloseWithAnUnreadBody() {
        String hidden = hiddenRequest();
        RawExchange exchange = RawExchange.send(
                server,
                "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + "Connection: close\r\nContent-Length: "
                        + hidden.length() + "\r\n\r\n" + hidden,
                QUIET);

        assertThat(exchange.statuses()).containsExactly(401);
        assertThat(exchange.closed()).as("the server closed the connection").isTrue();
    }

    @Test
    void closesAfterA413ForAChunkOverTheLimit() {
        RawExchange exchange = RawExchange.send(
                server,
                "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + gateway.apiKey() + "\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(LIMIT + 2) + "\r\n\r\n"
                        + hiddenRequest(),
                QUIET);

        assertThat(exchange.statuses()).containsExactly(413);
        assertThat(exchange.closed()).isTrue();
    }

    @Test
    void closesAfterA413ForADeclaredLengthJustOverTheLimit() {
        String hidden = hiddenRequest();
        String body = hidden + "x".repeat(LIMIT + 1 - hidden.length());
        RawExchange exchange = RawExchange.send(
                server,
                "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + "Authorization: Bearer " + gateway.apiKey()
                        + "\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n" + body,
                QUIET);

        assertThat(exchange.statuses()).containsExactly(413);
        assertThat(exchange.closed()).isTrue();
    }

    @Test
    void closesAfterAnsweringABodilessRequestThatAskedToClose() {
        RawExchange exchange =
                RawExchange.send(server, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", QUIET);

        assertThat(exchange.statuses()).containsExactly(200);
        assertThat(exchange.closed()).isTrue();
    }

    @Test
    void discardsASmallUnreadBodyAndServesTheNextRequestOnTheConnection() {
        String hidden = hiddenRequest();
        RawExchange exchange = RawExchange.send(
                server,
                "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: " + hidden.length() + "\r\n\r\n" + hidden
                        + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                QUIET);

        assertThat(exchange.statuses()).containsExactly(401, 200);
        assertThat(exchange.received()).contains("{\"status\":\"ok\"}").doesNotContain("\"label\"");
        assertThat(exchange.closed()).isTrue();
    }

    @Test
    void discardsTheUnreadBodyOfARequestToAPathThatDoesNotExist() {
        String hidden = hiddenRequest();
        RawExchange exchange = RawExchange.send(
                server,
                "POST /api/v1/nowhere HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: " + hidden.length() + "\r\n\r\n" + hidden
                        + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                QUIET);

        assertThat(exchange.statuses()).containsExactly(404, 200);
    }

    @Test
    void closesInsteadOfDrainingALargeUnreadBody() {
        String body = hiddenRequest() + "x".repeat(RequestBodies.MAX_DRAIN_BYTES + 1);
        RawExchange exchange = RawExchange.send(
                server,
                "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + "Content-Length: " + body.length()
                        + "\r\n\r\n" + body,
                QUIET);

        assertThat(exchange.statuses()).containsExactly(401);
        assertThat(exchange.received()).containsIgnoringCase("Connection: close");
        assertThat(exchange.closed()).isTrue();
    }

    @Test
    void keepsAKeepAliveConnectionOpenForTheNextRequest() {
        RawExchange exchange = RawExchange.send(
                server,
                "GET /health HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
                Duration.ofMillis(500));

        assertThat(exchange.statuses()).containsExactly(200, 200);
        assertThat(exchange.closed()).as("a keep-alive connection stays open").isFalse();
    }

    private static String hiddenRequest() {
        return "GET /api/v1/key HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + gateway.apiKey() + "\r\n\r\n";
    }
}
