package dev.switchboard.provider.openai;

import static dev.switchboard.provider.openai.AdapterCalls.drain;
import static dev.switchboard.provider.openai.AdapterCalls.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import dev.switchboard.core.upstream.Timeouts;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.response.Choice;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.CompletionAssembler;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.model.response.TokenUsage;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The OpenAI adapter against the real upstream simulator on a loopback port. */
class OpenAiAdapterTest {
    private static final ObjectMapper JSON = AdapterCalls.JSON;
    private static UpstreamSimulator simulator;
    private static UpstreamHttp http;
    private static OpenAiAdapter adapter;
    private final ManualTime time = new ManualTime();

    @BeforeAll
    static void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        http = new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(20));
        adapter = new OpenAiAdapter(http, JSON, GatewayConfig.Upstream.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        http.close();
        simulator.close();
    }

    @Test
    void completesANonStreamingRequest() {
        CallControl control = CallControl.start();

        Completion completion = complete(
                attempt("sim-small"),
                request(
                        "{\"model\":\"acme/chat\","
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"simulator\":{\"output_tokens\":6}}"),
                control);

        assertThat(completion.upstreamModel()).hasValue("sim-small");
        assertThat(completion.upstreamId())
                .hasValueSatisfying(id -> assertThat(id).startsWith("chatcmpl-"));
        Choice choice = completion.choices().getFirst();
        assertThat(choice.text().split(" ")).hasSize(6);
        assertThat(choice.finish()).hasValue(FinishReason.STOP);
        assertThat(choice.nativeFinish()).hasValue("stop");
        assertThat(completion.source()).as("no native body unless asked").isEmpty();
        assertThat(completion.usage()).hasValueSatisfying(u -> {
            assertThat(u.prompt()).isPositive();
            assertThat(u.completion()).isEqualTo(6);
        });
        assertThat(control.firstByteSeen()).isTrue();
        assertThat(control.abortReason()).isEmpty();
    }

    @Test
    void sendsTheUpstreamModelTheKeyAndOnlyTheClientsFields() {
        complete(
                attempt("sim-small"),
                request("{\"model\":\"acme/chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"max_tokens\":3,\"provider\":{\"only\":[\"sim\"]},\"vendor_knob\":true}"),
                CallControl.start());

        JsonNode sent = simulator.stats().lastRequestBody().orElseThrow();
        assertThat(sent.path("model").asText()).isEqualTo("sim-small");
        assertThat(sent.has("provider")).isFalse();
        assertThat(sent.path("vendor_knob").asBoolean()).isTrue();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(3);
        assertThat(simulator.stats().lastRequestHeaders())
                .containsEntry("authorization", "Bearer sk-sim-test")
                .containsEntry("accept", "application/json");
        assertThat(simulator.stats().lastRequestHeaders().get("content-type")).startsWith("application/json");
    }

    @Test
    void sendsNoAuthorizationToAProviderWithoutKey() {
        complete(
                attempt(provider(simulator.baseUrl(), ""), "sim-small"),
                request("{\"model\":\"acme/chat\"," + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                CallControl.start());

        assertThat(simulator.stats().lastRequestHeaders()).doesNotContainKey("authorization");
    }

    @Test
    void reportsLengthFinishAndReasoningTokens() {
        Completion completion = complete(
                attempt("sim-reasoning"),
                request(
                        "{\"model\":\"acme/chat\","
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"think\"}],\"max_completion_tokens\":20,\"simulator\":{\"output_tokens\":50}}"),
                CallControl.start());

        assertThat(completion.choices().getFirst().nativeFinish()).hasValue("length");
        assertThat(completion.choices().getFirst().finish()).hasValue(FinishReason.LENGTH);
        assertThat(completion.usage()).hasValueSatisfying(u -> {
            assertThat(u.completion())
                    .as("the cap bounds reasoning plus visible tokens")
                    .isEqualTo(20);
            assertThat(u.reasoning()).isEqualTo(8);
        });
    }

    @Test
    void streamsChunksThenOneUsageThenEnd() {
        CallControl control = CallControl.start();
        List<StreamEvent> events;
        try (EventStream stream = stream(
                attempt("sim-small"),
                request(
                        "{\"model\":\"acme/chat\",\"stream\":true,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}],\"simulator\":{\"output_tokens\":5}}"),
                control)) {
            events = drain(stream, new ArrayList<>());
            assertThat(stream.next()).as("End again after the end").isInstanceOf(StreamEvent.End.class);
        }

        assertThat(events.getFirst())
                .isInstanceOfSatisfying(
                        StreamEvent.Started.class,
                        started -> assertThat(started.upstreamModel()).hasValue("sim-small"));
        assertThat(events).noneMatch(StreamEvent.Native.class::isInstance);
        List<StreamEvent.Finished> finishes = events.stream()
                .filter(StreamEvent.Finished.class::isInstance)
                .map(StreamEvent.Finished.class::cast)
                .toList();
        assertThat(finishes)
                .singleElement()
                .satisfies(f -> assertThat(f.nativeReason()).hasValue("stop"));
        String text = events.stream()
                .filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).text())
                .collect(Collectors.joining());
        assertThat(text.strip().split(" ")).hasSize(5);
        assertThat(events)
                .filteredOn(StreamEvent.UsageReported.class::isInstance)
                .singleElement()
                .satisfies(
                        u -> assertThat(((StreamEvent.UsageReported) u).usage().completion())
                                .isEqualTo(5));
        assertThat(events.getLast()).isInstanceOf(StreamEvent.UsageReported.class);
        assertThat(control.firstByteSeen()).isTrue();

        JsonNode sent = simulator.stats().lastRequestBody().orElseThrow();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
        assertThat(simulator.stats().lastRequestHeaders()).containsEntry("accept", "text/event-stream");
    }

    @Test
    void streamsAToolCall() throws Exception {
        List<StreamEvent> events;
        try (EventStream stream = stream(attempt("sim-small"), request("""
                {"model":"acme/chat","stream":true,"messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
                 "tool_choice":"required"}
                """), CallControl.start())) {
            events = drain(stream, new ArrayList<>());
        }

        assertThat(events)
                .filteredOn(StreamEvent.Finished.class::isInstance)
                .singleElement()
                .satisfies(f -> assertThat(((StreamEvent.Finished) f).reason()).isEqualTo(FinishReason.TOOL_CALLS));
        assertThat(events)
                .filteredOn(StreamEvent.UsageReported.class::isInstance)
                .hasSize(1);
        ContentPart.ToolCall call = new CompletionAssembler()
                .acceptAll(events)
                .build()
                .choices()
                .getFirst()
                .toolCalls()
                .getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(AdapterCalls.JSON.readTree(call.arguments()).isObject())
                .as("arguments reassemble to JSON")
                .isTrue();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 401, 403, 404, 413, 422, 429, 500, 502, 503})
    void classifiesErrorStatusesOfNonStreamingCalls(int status) {
        UpstreamException e = catchThrowableOfType(
                UpstreamException.class,
                () -> complete(
                        attempt("sim-small"),
                        faulty("{\"fault\":\"status\",\"status\":" + status + "}", false),
                        CallControl.start()));

        assertStatusFailure(e, status);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 401, 429, 500, 503})
    void classifiesErrorStatusesOfStreamingCallsBeforeReturningTheStream(int status) {
        UpstreamException e = catchThrowableOfType(
                UpstreamException.class,
                () -> stream(
                        attempt("sim-small"),
                        faulty("{\"fault\":\"status\",\"status\":" + status + "}", true),
                        CallControl.start()));

        assertStatusFailure(e, status);
    }

    @Test
    void readsRetryAfterOfARateLimit() {
        UpstreamException e = catchThrowableOfType(
                UpstreamException.class,
                () -> complete(
                        attempt("sim-small"),
                        faulty("{\"fault\":\"status\",\"status\":429,\"retry_after\":7}", false),
                        CallControl.start()));

        assertThat(e.failure()).isEqualTo(UpstreamFailure.RATE_LIMITED);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void hasNoRetryAfterWhenTheProviderGivesNone() {
        UpstreamException e = catchThrowableOfType(
                UpstreamException.class,
                () -> complete(
                        attempt("sim-small"),
                        faulty("{\"fault\":\"status\",\"status\":503}", false),
                        CallControl.start()));

        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void refusedConnectionIsAConnectFailure() throws IOException {
        URI closed = URI.create("http://127.0.0.1:" + freePort() + "/v1");

        UpstreamException e = catchThrowableOfType(
                UpstreamException.class,
                () -> complete(
                        attempt(provider(closed, "k"), "m"),
                        request("{\"model\":\"acme/chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                        CallControl.start()));

        assertThat(e.failure()).isEqualTo(UpstreamFailure.CONNECT);
        assertThat(e.failure().retryable()).isTrue();
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.upstreamStatus()).isZero();
        assertThat(e.getMessage()).contains("Sim Cloud");
    }

    @Test
    void malformedChunkFailsTheStreamAsMalformedAfterTheGoodChunks() {
        List<StreamEvent> before = new ArrayList<>();
        try (EventStream stream = stream(
                attempt("sim-small"),
                faulty("{\"fault\":\"malformed_chunk\",\"fault_after_tokens\":3}", true),
                CallControl.start())) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> drain(stream, before));

            assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.metadata().get("raw")).isEqualTo("{this is not json");
        }
        assertThat(texts(before)).hasSize(3);
    }

    @Test
    void bodyThatIsNotJsonIsMalformedAndPassedOnAsRaw() {
        UpstreamException e = catchThrowableOfType(
                UpstreamException.class,
                () -> complete(
                        attempt("sim-small"), faulty("{\"fault\":\"malformed_chunk\"}", false), CallControl.start()));

        assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).isEqualTo("Sim Cloud returned a body that is not JSON");
        assertThat(e.metadata()).containsEntry("provider_name", "Sim Cloud").containsEntry("raw", "{this is not json");
    }

    @Test
    void emptyBodyIsMalformed() {
        UpstreamException complete = catchThrowableOfType(
                UpstreamException.class,
                () -> complete(attempt("sim-small"), faulty("{\"fault\":\"empty_body\"}", false), CallControl.start()));
        assertThat(complete.failure()).isEqualTo(UpstreamFailure.MALFORMED);

        try (EventStream stream =
                stream(attempt("sim-small"), faulty("{\"fault\":\"empty_body\"}", true), CallControl.start())) {
            UpstreamException streamed = catchThrowableOfType(UpstreamException.class, stream::next);
            assertThat(streamed.failure()).isEqualTo(UpstreamFailure.MALFORMED);
        }
    }

    @Test
    void connectionResetMidStreamIsMalformed() {
        List<StreamEvent> before = new ArrayList<>();
        try (EventStream stream = stream(
                attempt("sim-small"),
                faulty("{\"fault\":\"reset_mid_stream\",\"fault_after_tokens\":2}", true),
                CallControl.start())) {
            UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> drain(stream, before));

            assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
            assertThat(e.getMessage()).isEqualTo("The connection to Sim Cloud closed before the response was complete");
        }
        assertThat(texts(before)).hasSize(2);
    }

    @Test
    void bodyCutShortSaysInWordsThatTheConnectionClosedEarly() {
        UpstreamException e = catchThrowableOfType(
                UpstreamException.class,
                () -> complete(
                        attempt("sim-small"), faulty("{\"fault\":\"reset_mid_stream\"}", false), CallControl.start()));

        assertThat(e.failure()).isEqualTo(UpstreamFailure.MALFORMED);
        assertThat(e.getMessage())
                .isEqualTo("The connection to Sim Cloud closed before the response was complete")
                .doesNotContain("Exception");
    }

    @Test
    void firstByteTimeoutAbortsACallWaitingForHeaders() throws Exception {
        CallControl control = time.call();
        long received = simulator.stats().requestsReceived();

        BackgroundCall call = BackgroundCall.start(() -> {
            try (TimeoutWatchdog.Watch ignored =
                    time.watchdog().watch(control, timeouts(Duration.ofMillis(250), Duration.ofSeconds(10)))) {
                return complete(
                        attempt("sim-small"),
                        faulty("{\"fault\":\"hang_before_headers\",\"hang_ms\":60000}", false),
                        control);
            }
        });
        BackgroundCall.await(() -> simulator.stats().requestsReceived() > received);
        call.awaitBlocked();
        time.advance(Duration.ofMillis(249));
        assertThat(control.abortReason()).as("not before the deadline").isEmpty();

        time.advance(Duration.ofMillis(1));

        UpstreamException thrown = call.thrown(UpstreamException.class);
        assertThat(thrown.failure()).isEqualTo(UpstreamFailure.FIRST_BYTE_TIMEOUT);
        assertThat(thrown.status()).isEqualTo(504);
    }

    @Test
    void idleTimeoutAbortsAStalledStream() throws Exception {
        CallControl control = time.call();
        List<StreamEvent> before = new CopyOnWriteArrayList<>();

        BackgroundCall call = BackgroundCall.start(() -> {
            try (TimeoutWatchdog.Watch ignored =
                            time.watchdog().watch(control, timeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));
                    EventStream stream = stream(
                            attempt("sim-small"),
                            faulty("{\"fault\":\"stall_mid_stream\",\"fault_after_tokens\":2,\"hang_ms\":60000}", true),
                            control)) {
                return drain(stream, before);
            }
        });
        BackgroundCall.await(() -> texts(before).size() == 2);
        call.awaitBlocked();
        time.advance(Duration.ofMillis(299));
        assertThat(control.abortReason()).as("not before the deadline").isEmpty();

        time.advance(Duration.ofMillis(1));

        assertThat(call.thrown(UpstreamException.class).failure()).isEqualTo(UpstreamFailure.IDLE_TIMEOUT);
        assertThat(texts(before)).hasSize(2);
    }

    @Test
    void clientCancellationInterruptsAStreamBlockedInARead() throws Exception {
        CallControl control = CallControl.start();
        List<StreamEvent> before = new CopyOnWriteArrayList<>();

        BackgroundCall call = BackgroundCall.start(() -> {
            try (EventStream stream = stream(
                    attempt("sim-small"),
                    faulty("{\"fault\":\"stall_mid_stream\",\"fault_after_tokens\":2,\"hang_ms\":60000}", true),
                    control)) {
                return drain(stream, before);
            }
        });
        BackgroundCall.await(() -> texts(before).size() == 2);
        call.awaitBlocked();

        control.abort(UpstreamFailure.CANCELLED);

        assertThat(call.thrown(UpstreamException.class).failure()).isEqualTo(UpstreamFailure.CANCELLED);
        assertThat(texts(before)).hasSize(2);
    }

    @Test
    void abortedCallFailsBeforeSendingAnything() {
        CallControl control = CallControl.start();
        control.abort(UpstreamFailure.CANCELLED);
        long before = simulator.stats().requestsReceived();

        UpstreamException e = catchThrowableOfType(
                UpstreamException.class,
                () -> complete(
                        attempt("sim-small"),
                        request("{\"model\":\"acme/chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                        control));

        assertThat(e.failure()).isEqualTo(UpstreamFailure.CANCELLED);
        assertThat(simulator.stats().requestsReceived()).isEqualTo(before);
    }

    @Test
    void serverStaysUsableAfterFailures() {
        assertThat(catchThrowableOfType(
                        UpstreamException.class,
                        () -> complete(
                                attempt("sim-small"),
                                faulty("{\"fault\":\"status\",\"status\":500}", false),
                                CallControl.start())))
                .isNotNull();

        Completion completion = complete(
                attempt("sim-small"),
                request("{\"model\":\"acme/chat\"," + "\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}"),
                CallControl.start());

        assertThat(completion.usage()).map(TokenUsage::completion).contains(16L);
    }

    private static void assertStatusFailure(UpstreamException e, int status) {
        assertThat(e).as("HTTP " + status + " fails").isNotNull();
        UpstreamFailure expected = UpstreamFailure.ofStatus(status);
        assertThat(e.failure()).isEqualTo(expected);
        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.status())
                .isEqualTo(
                        expected == UpstreamFailure.REJECTED
                                ? status
                                : expected.clientError().status());
        assertThat(e.getMessage()).isEqualTo("Simulated HTTP " + status + " from the Switchboard upstream simulator.");
        assertThat(e.metadata())
                .containsEntry("provider_name", "Sim Cloud")
                .containsEntry("provider_code", Integer.toString(status));
        assertThat((String) e.metadata().get("raw")).contains("\"error\"").contains("Simulated HTTP " + status);
    }

    private static ChatRequest faulty(String controls, boolean stream) {
        return request("{\"model\":\"acme/chat\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"simulator\":" + controls + "}");
    }

    private static ChatRequest request(String body) {
        return AdapterCalls.request(body);
    }

    private static Completion complete(Attempt attempt, ChatRequest request, CallControl control) {
        return adapter.complete(AdapterCalls.call(attempt, request, control));
    }

    private static EventStream stream(Attempt attempt, ChatRequest request, CallControl control) {
        return adapter.stream(AdapterCalls.call(attempt, request, control));
    }

    /** The non-empty text deltas among the events: the generated tokens. */
    private static List<String> texts(List<StreamEvent> events) {
        return events.stream()
                .filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).text())
                .filter(t -> !t.isEmpty())
                .toList();
    }

    private static Attempt attempt(String upstreamModel) {
        return attempt(provider(simulator.baseUrl(), "sk-sim-test"), upstreamModel);
    }

    private static Attempt attempt(Provider provider, String upstreamModel) {
        return AdapterCalls.attempt(provider, upstreamModel);
    }

    private static Timeouts timeouts(Duration firstByte, Duration idle) {
        return new Timeouts(Duration.ofSeconds(2), firstByte, idle, Duration.ofSeconds(20));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
