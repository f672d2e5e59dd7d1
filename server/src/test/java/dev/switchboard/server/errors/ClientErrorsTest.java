package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mistakes of the client's own making: malformed, trailing and ill-typed bodies (400, naming the line
 * and column or the field), unknown models (400 {@code model_not_found}), routing filters that leave
 * nothing (404 {@code no_endpoints}), unknown routes (404) and broken HTTP framing. The gateway's own
 * checks run before any upstream call; none of these may ever come back as a 500 or without the
 * error envelope.
 */
class ClientErrorsTest {
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
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
    void saysWhereJsonIsMalformed() {
        HttpResponse<String> response =
                gateway.post("/chat/completions", "{\n  \"model\": \"acme/chat-small\",\n  \"messages\": [}\n}");

        JsonNode error = ErrorEnvelope.expect(response, 400);
        assertThat(error.path("message").asText()).contains("line 3").containsPattern("column \\d+");
        assertThat(error.path("metadata").path("line").asInt()).isEqualTo(3);
        assertThat(error.path("metadata").path("column").asInt()).isPositive();
    }

    @Test
    void rejectsDataAfterTheJsonValue() {
        HttpResponse<String> concatenated = gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/chat-small\"," + MESSAGES + "}" + "{\"model\":\"acme/chat-priced\"," + MESSAGES
                        + "}");
        HttpResponse<String> garbage =
                gateway.post("/chat/completions", "{\"model\":\"acme/chat-small\"," + MESSAGES + "} trailing");

        ErrorEnvelope.expect(concatenated, 400);
        assertThat(ErrorEnvelope.expect(garbage, 400).path("message").asText()).contains("line 1");
    }

    @Test
    void rejectsABodyThatIsNotAnObject() {
        HttpResponse<String> response = gateway.post("/chat/completions", "[{\"model\":\"acme/chat-small\"}]");

        assertThat(ErrorEnvelope.expect(response, 400).path("message").asText()).containsIgnoringCase("object");
    }

    @Test
    void rejectsAnEmptyBody() {
        ErrorEnvelope.expect(gateway.post("/chat/completions", ""), 400);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illTypedFields")
    void namesTheIllTypedFieldInMetadataParam(String param, String body) {
        HttpResponse<String> response = gateway.post("/chat/completions", body);

        JsonNode error = ErrorEnvelope.expect(response, 400);
        assertThat(error.path("metadata").path("param").asText()).isEqualTo(param);
        assertThat(error.path("message").asText()).contains(param);
    }

    static Stream<Arguments> illTypedFields() {
        return Stream.of(
                arguments("temperature", chat("\"temperature\":\"hot\"")),
                arguments("temperature", chat("\"temperature\":7")),
                arguments("stream", chat("\"stream\":\"yes\"")),
                arguments("max_tokens", chat("\"max_tokens\":0")),
                arguments("max_tokens", chat("\"max_tokens\":\"10\"")),
                arguments("max_completion_tokens", chat("\"max_completion_tokens\":-5")),
                arguments("messages", "{\"model\":\"acme/chat-small\",\"messages\":\"hi\"}"),
                arguments("messages", "{\"model\":\"acme/chat-small\",\"messages\":[]}"),
                arguments(
                        "messages[0].role",
                        "{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"),
                arguments(
                        "messages[1].content",
                        "{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                                + "{\"role\":\"user\",\"content\":42}]}"),
                arguments("tools", chat("\"tools\":{\"type\":\"function\"}")),
                arguments("provider.only", chat("\"provider\":{\"only\":\"mock\"}")),
                arguments("seed", chat("\"seed\":1.5")));
    }

    @Test
    void rejectsAMissingMessagesField() {
        HttpResponse<String> response = gateway.post("/chat/completions", "{\"model\":\"acme/chat-small\"}");

        assertThat(ErrorEnvelope.expect(response, 400)
                        .path("metadata")
                        .path("param")
                        .asText())
                .isEqualTo("messages");
    }

    @Test
    void rejectsAMissingModelField() {
        HttpResponse<String> response = gateway.post("/chat/completions", "{" + MESSAGES + "}");

        JsonNode error = ErrorEnvelope.expect(response, 400);
        assertThat(error.path("metadata").path("param").asText()).isEqualTo("model");
        assertThat(error.path("message").asText()).contains("model");
    }

    @Test
    void answersModelNotFoundForAnUnknownModel() {
        HttpResponse<String> response =
                gateway.post("/chat/completions", "{\"model\":\"acme/no-such-model\"," + MESSAGES + "}");

        JsonNode error = ErrorEnvelope.expect(response, 400);
        assertThat(error.path("metadata").path("code").asText()).isEqualTo("model_not_found");
        assertThat(error.path("message").asText()).contains("acme/no-such-model");
        assertThat(error.path("error_type").asText()).isEqualTo("invalid_request");
        assertThat(error.path("http_status").asInt()).isEqualTo(400);
        assertThat(error.path("availability").path("code").asText()).isEqualTo("model_not_found");
        assertThat(error.path("availability").path("retryable").isBoolean()).isTrue();
        assertThat(error.path("availability").path("requested_models").path(0).asText())
                .isEqualTo("acme/no-such-model");
    }

    @Test
    void answersNoEndpointsWhenProviderOnlyMatchesNothing() {
        HttpResponse<String> response =
                gateway.post("/chat/completions", chat("\"provider\":{\"only\":[\"nonexistent\"]}"));

        JsonNode error = ErrorEnvelope.expect(response, 404);
        assertThat(error.path("metadata").path("code").asText()).isEqualTo("no_endpoints");
        assertThat(error.path("message").asText()).contains("acme/chat-small");
        assertThat(error.path("error_type").asText()).isEqualTo("not_found");
        assertThat(error.path("availability").path("code").asText()).isEqualTo("no_endpoints");
    }

    @Test
    void answersNoEndpointsWhenProviderIgnoreRemovesEveryEndpoint() {
        HttpResponse<String> response = gateway.post("/chat/completions", chat("\"provider\":{\"ignore\":[\"mock\"]}"));

        assertThat(ErrorEnvelope.expect(response, 404)
                        .path("metadata")
                        .path("code")
                        .asText())
                .isEqualTo("no_endpoints");
    }

    @Test
    void answersAnUnknownRouteWithTheEnvelope() {
        ErrorEnvelope.expect(gateway.get("/nope", gateway.apiKey()), 404);
        ErrorEnvelope.expect(gateway.send("POST", "/chat/nope", gateway.apiKey(), "{}", Map.of()), 404);
    }

    @Test
    void answersAKnownPathAskedWithTheWrongMethodWith405AndAllow() {
        HttpResponse<String> chat = gateway.send("GET", "/chat/completions", gateway.apiKey(), null, Map.of());
        HttpResponse<String> key = gateway.send("PUT", "/keys/" + "0".repeat(64), gateway.apiKey(), "{}", Map.of());

        assertThat(ErrorEnvelope.expect(chat, 405).path("message").asText()).contains("POST");
        assertThat(chat.headers().firstValue("Allow")).contains("POST");
        ErrorEnvelope.expect(key, 405);
        assertThat(key.headers().firstValue("Allow"))
                .hasValueSatisfying(
                        allow -> assertThat(allow.split(", ")).containsExactlyInAnyOrder("GET", "PATCH", "DELETE"));
    }

    @Test
    void forwardsNumbersOfAnyMagnitudeInsteadOfFailing() {
        HttpResponse<String> huge = gateway.post("/chat/completions", chat("\"x_vendor_score\":1e10000"));
        HttpResponse<String> tiny = gateway.post("/chat/completions", chat("\"x_vendor_score\":-1e-10000"));

        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(200);
        assertThat(tiny.statusCode()).as(tiny.body()).isEqualTo(200);
    }

    @Test
    void saysWhichLimitAMalformedBodyHitWhenJacksonGivesNoPosition() {
        HttpResponse<String> response = gateway.post(
                "/chat/completions", chat("\"metadata\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000)));

        JsonNode error = ErrorEnvelope.expect(response, 400);
        assertThat(error.path("message").asText())
                .startsWith("Malformed JSON in request body")
                .containsIgnoringCase("depth");
        assertThat(error.path("metadata").path("line").isMissingNode())
                .as("no made-up position")
                .isTrue();
    }

    @Test
    void neverCallsTheProviderForARequestItRejects() {
        long before = gateway.simulator().stats().requestsReceived();

        gateway.post("/chat/completions", chat("\"temperature\":\"hot\""));
        gateway.post("/chat/completions", "{\"model\":\"acme/no-such-model\"," + MESSAGES + "}");
        gateway.post("/chat/completions", chat("\"provider\":{\"only\":[\"nonexistent\"]}"));

        assertThat(gateway.simulator().stats().requestsReceived()).isEqualTo(before);
    }

    /**
     * No client mistake is ever a 500: each of these bodies must come back as a 4xx envelope. The
     * simulator rejects what gets past the gateway (an unknown fault), which must stay a 4xx too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("clientMistakes")
    void answersEveryClientMistakeWithA4xx(String mistake, String body) {
        HttpResponse<String> response = gateway.post("/chat/completions", body);

        assertThat(response.statusCode())
                .as("%s -> %s", mistake, response.body())
                .isBetween(400, 499);
        ErrorEnvelope.expect(response, response.statusCode());
    }

    static Stream<Arguments> clientMistakes() {
        return Stream.of(
                arguments("JSON null", "null"),
                arguments("JSON string", "\"hello\""),
                arguments("JSON number", "42"),
                arguments("empty object", "{}"),
                arguments("truncated JSON", "{\"model\":\"acme/chat-small\","),
                arguments("trailing garbage", "{\"model\":\"acme/chat-small\"," + MESSAGES + "} trailing"),
                arguments("model is a number", "{\"model\":42," + MESSAGES + "}"),
                arguments("model is blank", "{\"model\":\"  \"," + MESSAGES + "}"),
                arguments("model is null", "{\"model\":null," + MESSAGES + "}"),
                arguments("message is null", "{\"model\":\"acme/chat-small\",\"messages\":[null]}"),
                arguments("message is a string", "{\"model\":\"acme/chat-small\",\"messages\":[\"hi\"]}"),
                arguments(
                        "message without role", "{\"model\":\"acme/chat-small\",\"messages\":[{\"content\":\"hi\"}]}"),
                arguments(
                        "role is a number",
                        "{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":1,\"content\":\"hi\"}]}"),
                arguments(
                        "content is an object",
                        "{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"user\",\"content\":{}}]}"),
                arguments("prompt is a number", "{\"model\":\"acme/chat-small\",\"prompt\":5}"),
                arguments("provider is a string", chat("\"provider\":\"mock\"")),
                arguments("provider.order holds numbers", chat("\"provider\":{\"order\":[1,2]}")),
                arguments("stop is a number", chat("\"stop\":5")),
                arguments("top_p out of range", chat("\"top_p\":5")),
                arguments("temperature overflows a double", chat("\"temperature\":1e999999")),
                arguments("max_tokens overflows a long", chat("\"max_tokens\":99999999999999999999999")),
                arguments("max_tokens is fractional", chat("\"max_tokens\":1.5")),
                arguments("user is a number", chat("\"user\":5")),
                arguments("stream_options is a string", chat("\"stream\":true,\"stream_options\":\"x\"")),
                arguments("number too long", chat("\"temperature\":1." + "1".repeat(5000))),
                arguments("nesting too deep", chat("\"metadata\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000))),
                arguments("invalid escape", "{\"model\":\"acme/chat-small\\q\"," + MESSAGES + "}"),
                arguments("unknown model with stream", "{\"model\":\"nope/nope\",\"stream\":true," + MESSAGES + "}"),
                arguments("unknown simulator fault", chat("\"simulator\":{\"fault\":\"no_such_fault\"}")),
                arguments(
                        "stream with unknown simulator fault",
                        chat("\"stream\":true,\"simulator\":{\"fault\":\"no_such_fault\"}")));
    }

    /** Mistakes in the HTTP framing itself, some caught by the web server before routing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("framingMistakes")
    void answersEveryFramingMistakeWithA4xxEnvelope(String mistake, String headers, String body) {
        String request =
                "POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + gateway.apiKey()
                        + "\r\nContent-Type: application/json\r\nConnection: close\r\n" + headers + "\r\n" + body;

        try (RawConnection connection =
                RawConnection.send(gateway.baseUrl(), request.getBytes(StandardCharsets.UTF_8))) {
            assertThat(connection.status()).as(mistake).isBetween(400, 499);
            assertThat(connection.header("Content-Type")).as(mistake).startsWith("application/json");
            ErrorEnvelope.expect(GatewayHarness.json(connection.body()), connection.status());
        }
    }

    static Stream<Arguments> framingMistakes() {
        String valid = "{\"model\":\"acme/chat-small\"," + MESSAGES + "}";
        return Stream.of(
                arguments("Content-Length is not a number", "Content-Length: abc\r\n", valid),
                arguments("Content-Length is negative", "Content-Length: -5\r\n", valid),
                arguments("header line without a colon", "Content-Length: 2\r\nthis is not a header\r\n", "{}"),
                arguments("header far too large", "Content-Length: 2\r\nX-Big: " + "a".repeat(70_000) + "\r\n", "{}"),
                arguments(
                        "chunk size is not hex", "Transfer-Encoding: chunked\r\n", "zz\r\n" + valid + "\r\n0\r\n\r\n"),
                arguments(
                        "chunk shorter than declared",
                        "Transfer-Encoding: chunked\r\n",
                        "ff\r\n" + valid + "\r\n0\r\n\r\n"));
    }

    @Test
    void answersInvalidUtf8WithA4xx() {
        byte[] bad = "{\"model\":\"acme/chat-small\",\"messages\":[{\"role\":\"user\",\"content\":\"\u00ff\u00ff\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = RawRequests.post(gateway, "/chat/completions", gateway.apiKey(), bad);

        ErrorEnvelope.expect(response, 400);
    }

    private static String chat(String extra) {
        return "{\"model\":\"acme/chat-small\"," + MESSAGES + "," + extra + "}";
    }
}
