package dev.switchboard.server.http;

import static dev.switchboard.server.http.RawHttp.head;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Serving HTTP/1.0 leaves everything else as it was: HTTP/1.1 connections stay open for the next
 * request, and what is not HTTP/1.x (an HTTP/2 prior-knowledge preface, a line of garbage) is still
 * turned away with a 400 and a close.
 */
class Http11ConnectionsTest {
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void servesTwoRequestsOnOneKeepAliveConnection() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Response first = connection
                    .send(head("GET /health HTTP/1.1", "Host: gateway"))
                    .readResponse();
            RawHttp.Response second = connection
                    .send(head(
                            "GET /api/v1/models HTTP/1.1",
                            "Host: gateway",
                            "Authorization: Bearer " + gateway.apiKey()))
                    .readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.head().header("Connection")).hasValue("keep-alive");
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            assertThat(GatewayHarness.json(second.body()).path("data").isArray())
                    .isTrue();
        }
    }

    @Test
    void servesTwoPipelinedRequests() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            connection.send(
                    head("GET /health HTTP/1.1", "Host: gateway") + head("GET /health HTTP/1.1", "Host: gateway"));

            assertThat(connection.readResponse().body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(connection.readResponse().body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    @Test
    void streamsChunkedToAnHttp11Client() {
        String json = """
                {"model":"acme/chat-small","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Head head = connection
                    .send(head(
                                    "POST /api/v1/chat/completions HTTP/1.1",
                                    "Host: gateway",
                                    "Authorization: Bearer " + gateway.apiKey(),
                                    "Content-Type: application/json",
                                    "Content-Length: " + json.length())
                            + json)
                    .readHead();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).hasValue("chunked");
            List<String> lines = new ArrayList<>();
            for (String line = connection.readLine().orElseThrow();
                    !line.equals("0");
                    line = connection.readLine().orElseThrow()) {
                lines.add(line);
            }
            assertThat(lines).contains("data: [DONE]");
            assertThat(connection.readLine()).as("the end of the chunked body").hasValue("");
        }
    }

    @Test
    void refusesAnHttp2PriorKnowledgePreface() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Response response =
                    connection.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void refusesALineThatIsNotHttp() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Response response = connection.send("HELLO\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }
}
