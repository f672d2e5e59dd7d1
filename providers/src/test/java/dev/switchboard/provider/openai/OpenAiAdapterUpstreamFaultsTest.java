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
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.simulator.UnacceptingListener;
import dev.switchboard.testkit.FixedUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upstream failures the simulator cannot produce, each from a real loopback socket: a connect that
 * hangs, bodies and streams of fixed bytes, and answers that are not HTTP. Every message is in words
 * (no exception class names), {@code metadata.raw} carries the upstream body bounded to 4 KiB, and
 * {@code provider_code} is only ever a code the provider sent.
 */
class OpenAiAdapterUpstreamFaultsTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
    private static UpstreamHttp http;
    private static OpenAiAdapter adapter;

    @BeforeAll
    static void start() {
        http = new UpstreamHttp(CONNECT_TIMEOUT, Duration.ofSeconds(20));
        adapter = new OpenAiAdapter(http, AdapterCalls.JSON, GatewayConfig.Upstream.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void connectThatHangsIsAConnectTimeoutWith504(boolean stream) {
        try (UnacceptingListener listener = UnacceptingListener.open()) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> call(listener.baseUrl(), stream));

            assertThat(e).as("the call fails").isNotNull();
            assertThat(e.failure()).isEqualTo(UpstreamFailure.CONNECT_TIMEOUT);
            assertThat(e.failure().retryable())
                    .as("nothing was sent, so another provider may be tried")
                    .isTrue();
            assertThat(e.status()).isEqualTo(504);
            assertThat(e.upstreamStatus()).isZero();
            assertThat(e.getMessage()).isEqualTo(PROVIDER_NAME + " did not accept the connection in time");
            assertThat(e.metadata())
                    .containsEntry("provider_name", PROVIDER_NAME)
                    .containsEntry("error_type", "timeout")
                    .doesNotContainKeys("provider_code", "raw");
        }
    }

    @Test
    void largeBodyThatIsNotJsonIsPassedOnAsItsFirst4KiB() {
        String page = "<html><body>" + "Service temporarily unavailable. ".repeat(4000) + "</body></html>";
        try (FixedUpstream upstream = FixedUpstream.answering(200, "text/html", page)) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> call(upstream, false));

            assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage()).isEqualTo(PROVIDER_NAME + " returned a body that is not JSON");
            assertThat((String) e.metadata().get("raw"))
                    .hasSize(UpstreamHttp.MAX_RAW_CHARS)
                    .isEqualTo(page.substring(0, 4096));
        }
    }

    @Test
    void errorPageThatIsNotJsonGetsAGenericMessageAndIsPassedOnBounded() {
        String page = "<html>" + "Bad gateway. ".repeat(2000) + "</html>";
        try (FixedUpstream upstream = FixedUpstream.answering(503, "text/html", page)) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> call(upstream, false));

            assertThat(e.failure()).isEqualTo(UpstreamFailure.SERVER_ERROR);
            assertThat(e.getMessage()).isEqualTo("Provider returned error");
            assertThat(e.metadata()).containsEntry("provider_code", "503");
            assertThat((String) e.metadata().get("raw"))
                    .hasSize(UpstreamHttp.MAX_RAW_CHARS)
                    .startsWith("<html>Bad gateway.");
        }
    }

    @Test
    void bodyWithoutChoicesIsPassedOnAsSent() {
        String body = "{\"object\":\"chat.completion\",\"note\":\"no choices here\"}";
        try (FixedUpstream upstream = FixedUpstream.answering(200, "application/json", body)) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> call(upstream, false));

            assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
            assertThat(e.getMessage()).isEqualTo(PROVIDER_NAME + " returned a response without choices");
            assertThat(e.metadata()).containsEntry("raw", body);
        }
    }

    @Test
    void inBandErrorWithAWordForACodeReportsTheWordAsProviderCodeAndNoStatus() {
        String error =
                "{\"error\":{\"message\":\"The model crashed\",\"type\":\"server_error\",\"code\":\"server_error\"}}";
        try (FixedUpstream upstream = FixedUpstream.streaming(roleChunk(), contentChunk("Hel"), error)) {
            List<StreamEvent> before = new ArrayList<>();
            UpstreamException e = streamFailure(upstream, before);

            assertThat(before)
                    .as("the role and content chunks came first")
                    .filteredOn(StreamEvent.TextDelta.class::isInstance)
                    .hasSize(2);
            assertThat(e.failure()).isEqualTo(UpstreamFailure.SERVER_ERROR);
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.upstreamStatus()).isZero();
            assertThat(e.getMessage()).isEqualTo("The model crashed");
            assertThat(e.metadata())
                    .containsEntry("provider_name", PROVIDER_NAME)
                    .containsEntry("raw", error)
                    .containsEntry("provider_code", "server_error");
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {400, 429, 503})
    void inBandErrorWithAnHttpStatusCodeIsClassifiedByItAndReportsIt(int code) {
        String error = "{\"error\":{\"code\":" + code + ",\"message\":\"Upstream said " + code + "\"}}";
        try (FixedUpstream upstream = FixedUpstream.streaming(roleChunk(), error)) {
            UpstreamException e = streamFailure(upstream, new ArrayList<>());

            assertThat(e.failure()).isEqualTo(UpstreamFailure.ofStatus(code));
            assertThat(e.upstreamStatus()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo("Upstream said " + code);
            assertThat(e.metadata()).containsEntry("provider_code", Integer.toString(code));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"error\":{}}",
                "{\"error\":{\"message\":\"  \",\"code\":null}}",
                "{\"error\":{\"code\":200}}",
                "{\"error\":{\"code\":502.5}}",
                "{\"error\":\"overloaded\"}"
            })
    void inBandErrorWithoutAStatusOrMessageIsAProviderErrorWithAGenericMessage(String error) {
        try (FixedUpstream upstream = FixedUpstream.streaming(roleChunk(), error)) {
            UpstreamException e = streamFailure(upstream, new ArrayList<>());

            assertThat(e.failure()).isEqualTo(UpstreamFailure.SERVER_ERROR);
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage()).isEqualTo("Provider returned error");
            assertThat(e.metadata()).containsEntry("raw", error);
            if (error.contains("\"code\":2") || error.contains("\"code\":5")) {
                assertThat(e.metadata())
                        .as("a number that is no error status is still the provider's code")
                        .containsEntry("provider_code", error.replaceAll(".*\"code\":([0-9.]+).*", "$1"));
            } else {
                assertThat(e.metadata()).doesNotContainKey("provider_code");
            }
        }
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void answerThatIsNotHttpIsMalformedAndSaysSoInWords(boolean stream) {
        try (FixedUpstream upstream =
                FixedUpstream.sendingRaw("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.US_ASCII))) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> call(upstream, stream));

            assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage()).isEqualTo("The response from " + PROVIDER_NAME + " could not be read");
            assertNoClassNames(e);
        }
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void bodyShorterThanItsContentLengthSaysTheConnectionClosedEarly(boolean stream) {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: " + (stream ? "text/event-stream" : "application/json")
                + "\r\nContent-Length: 500\r\nConnection: close\r\n\r\n";
        String partial = stream ? "data: " + roleChunk() + "\n\ndata: {\"id\":" : "{\"id\":\"chatcmpl-1\",";
        try (FixedUpstream upstream = FixedUpstream.sendingRaw((head + partial).getBytes(StandardCharsets.UTF_8))) {
            UpstreamException e = stream
                    ? streamFailure(upstream, new ArrayList<>())
                    : catchThrowableOfType(UpstreamException.class, () -> call(upstream, false));

            assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
            assertThat(e.getMessage())
                    .isEqualTo("The connection to " + PROVIDER_NAME + " closed before the response was complete");
            assertNoClassNames(e);
        }
    }

    @Test
    void chunkedBodyCutShortSaysTheConnectionClosedEarly() {
        String head =
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        String event = "data: " + roleChunk() + "\n\n";
        String chunk = Integer.toHexString(event.length()) + "\r\n" + event + "\r\n";
        try (FixedUpstream upstream = FixedUpstream.sendingRaw((head + chunk).getBytes(StandardCharsets.UTF_8))) {
            List<StreamEvent> before = new ArrayList<>();
            UpstreamException e = streamFailure(upstream, before);

            assertThat(before)
                    .filteredOn(StreamEvent.TextDelta.class::isInstance)
                    .hasSize(1);
            assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
            assertThat(e.getMessage())
                    .isEqualTo("The connection to " + PROVIDER_NAME + " closed before the response was complete");
        }
    }

    private static void assertNoClassNames(UpstreamException e) {
        assertThat(e.getMessage())
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("io.helidon")
                .doesNotContainPattern("\\$[A-Z]");
    }

    private static Object call(FixedUpstream upstream, boolean stream) {
        return call(upstream.baseUrl(), stream);
    }

    private static Object call(java.net.URI baseUrl, boolean stream) {
        if (!stream) {
            return adapter.complete(AdapterCalls.call(attempt(baseUrl, "m"), chat(false, ""), CallControl.start()));
        }
        try (EventStream events =
                adapter.stream(AdapterCalls.call(attempt(baseUrl, "m"), chat(true, ""), CallControl.start()))) {
            return drain(events, new ArrayList<>());
        }
    }

    private static UpstreamException streamFailure(FixedUpstream upstream, List<StreamEvent> before) {
        try (EventStream stream = adapter.stream(
                AdapterCalls.call(attempt(upstream.baseUrl(), "m"), chat(true, ""), CallControl.start()))) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> drain(stream, before));
            assertThat(e).as("the stream fails after %s", before).isNotNull();
            return e;
        }
    }

    private static String roleChunk() {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}";
    }

    private static String contentChunk(String text) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}";
    }
}
