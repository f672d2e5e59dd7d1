package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Clients that hold connections: a body that never arrives is cut off after {@code server.body_timeout},
 * and no more than {@code server.max_connections} connections are served at once.
 */
class SlowClientTest {
    @Test
    void closesTheConnectionOfABodyThatNeverArrives() throws IOException {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "server:\n  body_timeout: 500ms\n");
                Socket socket = connect(gateway.baseUrl())) {
            socket.setSoTimeout(20_000);
            write(
                    socket,
                    "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + gateway.apiKey()
                            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":");

            RawExchange exchange = RawExchange.readUntilClosedOrQuiet(socket.getInputStream());

            assertThat(exchange.closed())
                    .as("closed well before the test's 20 s read timeout")
                    .isTrue();
            assertThat(gateway.get("/models", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void closesTheConnectionOfAnUnreadBodyThatNeverArrives() throws IOException {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "server:\n  body_timeout: 500ms\n");
                Socket socket = connect(gateway.baseUrl())) {
            socket.setSoTimeout(20_000);
            write(socket, "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");

            RawExchange exchange = RawExchange.readUntilClosedOrQuiet(socket.getInputStream());

            assertThat(exchange.statuses()).containsExactly(401);
            assertThat(exchange.closed()).isTrue();
        }
    }

    /**
     * The harness's own client may hold a pooled connection, so the test opens connections until one is
     * not served, then checks that no more than the limit were, and that closing one lets the waiting
     * one in.
     */
    @Test
    void servesNoMoreConnectionsThanTheLimitAtOnce() throws IOException {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), "server:\n  max_connections: 2\n")) {
            URI url = gateway.baseUrl();
            List<Socket> served = new ArrayList<>();
            Socket waiting = null;
            try {
                while (waiting == null && served.size() <= 2) {
                    Socket socket = connect(url);
                    write(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                    socket.setSoTimeout(1_000);
                    try {
                        assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
                        served.add(socket);
                    } catch (SocketTimeoutException notServed) {
                        waiting = socket;
                    }
                }
                assertThat(waiting).as("a connection over the limit waits").isNotNull();
                assertThat(served).hasSizeBetween(1, 2);

                served.getFirst().close();
                waiting.setSoTimeout(10_000);
                assertThat(readHead(waiting.getInputStream())).startsWith("HTTP/1.1 200");
            } finally {
                for (Socket socket : served) {
                    socket.close();
                }
                if (waiting != null) {
                    waiting.close();
                }
            }
        }
    }

    private static Socket connect(URI url) throws IOException {
        return new Socket(url.getHost(), url.getPort());
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads the status line and headers, up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
