package dev.switchboard.provider.openai;

import static dev.switchboard.provider.openai.AdapterCalls.PROVIDER_NAME;
import static dev.switchboard.provider.openai.AdapterCalls.attempt;
import static dev.switchboard.provider.openai.AdapterCalls.chat;
import static dev.switchboard.provider.openai.AdapterCalls.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.testkit.FixedUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code upstream.max_body_bytes} and {@code upstream.max_event_bytes}: a provider that sends more than
 * the gateway accepts gets a 502 whose {@code metadata.raw} shows the start of what it sent, and never
 * makes the gateway hold the whole of it.
 */
class OpenAiAdapterSizeBoundsTest {
    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_EVENT = 16 * 1024;
    private static UpstreamHttp http;
    private static OpenAiAdapter adapter;

    @BeforeAll
    static void start() {
        http = new UpstreamHttp(Duration.ofSeconds(1), Duration.ofSeconds(20));
        adapter = new OpenAiAdapter(http, AdapterCalls.JSON, new GatewayConfig.Upstream(MAX_BODY, MAX_EVENT, true));
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @Test
    void refusesABodyWhoseDeclaredLengthIsOverTheBound() {
        String body = completion("x".repeat(MAX_BODY));
        try (FixedUpstream upstream = FixedUpstream.answering(200, "application/json", body)) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> complete(upstream));

            expectTooLarge(e, "response", MAX_BODY);
            assertThat((String) e.metadata().get("raw"))
                    .hasSize(UpstreamHttp.MAX_RAW_CHARS)
                    .isEqualTo(body.substring(0, 4096));
        }
    }

    @Test
    void refusesAChunkedBodyThatGoesOverTheBound() {
        String body = completion("y".repeat(MAX_BODY));
        try (FixedUpstream upstream = FixedUpstream.sendingRaw(chunked(body))) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> complete(upstream));

            expectTooLarge(e, "response", MAX_BODY);
            assertThat((String) e.metadata().get("raw")).startsWith("{\"id\":\"chatcmpl-1\"");
        }
    }

    @Test
    void servesABodyJustUnderTheBound() {
        String body = completion("z".repeat(MAX_BODY - 300));
        try (FixedUpstream upstream = FixedUpstream.answering(200, "application/json", body)) {
            assertThat(body.length()).isLessThanOrEqualTo(MAX_BODY);
            assertThat(complete(upstream).choices().getFirst().text()).hasSize(MAX_BODY - 300);
        }
    }

    @Test
    void endsAStreamWhoseOneLineIsOverTheEventBound() {
        String chunk =
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "w".repeat(MAX_EVENT) + "\"}}]}";
        try (FixedUpstream upstream = FixedUpstream.streaming(chunk)) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> stream(upstream));

            expectTooLarge(e, "stream event", MAX_EVENT);
            assertThat((String) e.metadata().get("raw")).startsWith("data: {\"id\":\"c\"");
        }
    }

    @Test
    void endsAStreamWhoseEventOfManyDataLinesIsOverTheEventBound() {
        String line = "data: " + "v".repeat(1000) + "\n";
        byte[] body = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                        + line.repeat(MAX_EVENT / 1000 + 1) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (FixedUpstream upstream = FixedUpstream.sendingRaw(body)) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> stream(upstream));

            expectTooLarge(e, "stream event", MAX_EVENT);
            assertThat((String) e.metadata().get("raw")).startsWith("vvvv");
        }
    }

    private static void expectTooLarge(UpstreamException e, String what, int limit) {
        assertThat(e).as("refused").isNotNull();
        assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage())
                .startsWith(PROVIDER_NAME + " sent a " + what + " larger than the gateway accepts (" + limit);
        assertThat((String) e.metadata().get("raw")).hasSizeLessThanOrEqualTo(UpstreamHttp.MAX_RAW_CHARS);
    }

    private static dev.switchboard.model.response.Completion complete(FixedUpstream upstream) {
        return adapter.complete(
                AdapterCalls.call(attempt(upstream.baseUrl(), "m"), chat(false, ""), CallControl.start()));
    }

    private static Object stream(FixedUpstream upstream) {
        try (EventStream events = adapter.stream(
                AdapterCalls.call(attempt(upstream.baseUrl(), "m"), chat(true, ""), CallControl.start()))) {
            return drain(events, new ArrayList<>());
        }
    }

    private static String completion(String content) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}]}";
    }

    /** A 200 response carrying {@code body} in 4 KiB chunks, with no declared length. */
    private static byte[] chunked(String body) {
        StringBuilder out = new StringBuilder(String.join(
                "\r\n",
                "HTTP/1.1 200 OK",
                "Content-Type: application/json",
                "Transfer-Encoding: chunked",
                "Connection: close",
                "",
                ""));
        for (int i = 0; i < body.length(); i += 4096) {
            String piece = body.substring(i, Math.min(body.length(), i + 4096));
            out.append(Integer.toHexString(piece.length()))
                    .append("\r\n")
                    .append(piece)
                    .append("\r\n");
        }
        return out.append("0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
