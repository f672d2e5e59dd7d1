package dev.switchboard.server.http;

import static dev.switchboard.server.http.RawHttp.head;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.HoldingUpstream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.0 clients (nginx's default {@code proxy_http_version}, {@code ab}) are served one request
 * per connection: the answer says {@code Connection: close}, the server closes the connection after
 * it, and a streamed answer comes without chunked framing, delimited by that close, event by event.
 */
class Http10RequestsTest {
    private static final String CHAT = "/api/v1/chat/completions";
    private static HoldingUpstream upstream;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        upstream = HoldingUpstream.start();
        gateway = GatewayHarness.start(Map.of(), "", upstream.baseUrl());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void answersHealthAndClosesTheConnection() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Response response = connection
                    .send(head("GET /health HTTP/1.0", "Host: gateway"))
                    .readResponse();

            assertThat(response.status()).as(response.head().statusLine()).isEqualTo(200);
            assertThat(response.head().header("Connection")).hasValue("close");
            assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void servesTheModelListToARequestWithoutHost() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Response response = connection
                    .send(head("GET /api/v1/models HTTP/1.0", "Authorization: Bearer " + gateway.apiKey()))
                    .readResponse();

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode models = GatewayHarness.json(response.body()).path("data");
            assertThat(models.findValuesAsText("id")).contains(GatewayHarness.MODEL);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void answersAChatCompletionWithItsLength() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Response response = connection.send(post("""
                    {"model":"acme/chat-small","messages":[{"role":"user","content":"hi"}]}""")).readResponse();

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.head().header("Transfer-Encoding")).isEmpty();
            assertThat(response.head().header("Connection")).hasValue("close");
            assertThat(GatewayHarness.json(response.body())
                            .path("choices")
                            .path(0)
                            .path("message")
                            .path("content")
                            .asText())
                    .isNotBlank();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void streamsAChatCompletionAsPlainEventsDelimitedByTheClose() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Head head = connection.send(post("""
                    {"model":"acme/chat-small","stream":true,"messages":[{"role":"user","content":"hi"}]}""")).readHead();
            String body = connection.readToEnd();

            assertThat(head.status()).as(body).isEqualTo(200);
            assertThat(head.header("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(head.header("Transfer-Encoding")).isEmpty();
            assertThat(head.header("Content-Length")).isEmpty();
            assertThat(head.header("Connection")).hasValue("close");
            List<String> lines = body.lines().filter(line -> !line.isEmpty()).toList();
            assertThat(lines)
                    .as("only events and comments, no chunk framing")
                    .allSatisfy(line -> assertThat(line).matches("(data: |:).*"));
            assertThat(lines.getLast()).isEqualTo("data: [DONE]");
            assertThat(body).endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void deliversEachEventWhileTheProviderIsStillStreaming() throws Exception {
        // the upstream holds the rest of its stream until this client has the first token
        try (RawHttp connection = RawHttp.connect(gateway)) {
            connection.send(post("""
                    {"model":"%s","stream":true,"messages":[{"role":"user","content":"hi"}]}""".formatted(GatewayHarness.EXTRA_MODEL)));
            assertThat(connection.readHead().status()).isEqualTo(200);
            List<String> lines = new ArrayList<>();
            for (Optional<String> line = connection.readLine(); line.isPresent(); line = connection.readLine()) {
                lines.add(line.get());
                if (HoldingUpstream.isContent(line.get())) {
                    upstream.release();
                }
            }

            assertThat(upstream.releasedByTheTest())
                    .as("the first token arrived while the upstream held the rest: %s", lines)
                    .isTrue();
            assertThat(lines.stream().filter(HoldingUpstream::isContent).toList())
                    .as("both tokens, so no timeout cut the stream short")
                    .hasSize(2);
            assertThat(lines).contains("data: [DONE]");
        }
    }

    @Test
    void answersOnlyTheFirstOfTwoPipelinedRequestsEvenWhenAskedToKeepAlive() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            connection.send(
                    head("GET /health HTTP/1.0", "Connection: keep-alive") + head("GET /api/v1/models HTTP/1.0"));

            RawHttp.Response first = connection.readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.head().header("Connection")).hasValue("close");
            assertThat(first.head().values("Connection")).hasSize(1);
            assertThat(first.head().header("Keep-Alive")).isEmpty();
            assertThat(connection.readToEnd())
                    .as("anything after the first response")
                    .isEmpty();
        }
    }

    @Test
    void neverTakesABodyLeftUnreadForAnotherRequest() {
        // refused for the missing key before its body is read; the body looks like a request of its own
        String body = head("GET /health HTTP/1.0");
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Response response = connection
                    .send(head(
                                    "POST " + CHAT + " HTTP/1.0",
                                    "Content-Type: application/json",
                                    "Content-Length: " + body.length())
                            + body)
                    .readResponse();

            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(connection.readToEnd())
                    .as("anything after the first response")
                    .isEmpty();
        }
    }

    @Test
    void rejectsARequestWithTransferEncoding() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            RawHttp.Response response = connection
                    .send(head(
                                    "POST " + CHAT + " HTTP/1.0",
                                    "Authorization: Bearer " + gateway.apiKey(),
                                    "Content-Type: application/json",
                                    "Transfer-Encoding: chunked")
                            + "2\r\n{}\r\n0\r\n\r\n")
                    .readResponse();

            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.head().header("Connection")).hasValue("close");
            assertThat(GatewayHarness.json(response.body())
                            .path("error")
                            .path("code")
                            .asInt())
                    .isEqualTo(400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void sendsNoInterimResponseToARequestExpectingContinue() {
        try (RawHttp connection = RawHttp.connect(gateway)) {
            byte[] body = """
                    {"model":"acme/chat-small","messages":[{"role":"user","content":"hi"}]}""".getBytes(StandardCharsets.UTF_8);
            RawHttp.Response response = connection
                    .send(head(
                                    "POST " + CHAT + " HTTP/1.0",
                                    "Authorization: Bearer " + gateway.apiKey(),
                                    "Content-Type: application/json",
                                    "Expect: 100-continue",
                                    "Content-Length: " + body.length)
                            + new String(body, StandardCharsets.UTF_8))
                    .readResponse();

            assertThat(response.status()).as(response.body()).isEqualTo(200);
        }
    }

    private static String post(String json) {
        return head(
                        "POST " + CHAT + " HTTP/1.0",
                        "Host: gateway",
                        "Authorization: Bearer " + gateway.apiKey(),
                        "Content-Type: application/json",
                        "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length)
                + json;
    }
}
