package dev.switchboard.provider.openai;

import static dev.switchboard.provider.openai.AdapterCalls.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.HttpVersion;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.CompletionAssembler;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The OpenAI adapter over HTTP/2 (h2c with prior knowledge) against the real simulator on loopback. */
class OpenAiAdapterHttp2Test {
    private UpstreamSimulator simulator;
    private UpstreamHttp http;
    private OpenAiAdapter adapter;

    @BeforeEach
    void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        http = new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(30));
        adapter = new OpenAiAdapter(http, AdapterCalls.JSON, GatewayConfig.Upstream.DEFAULTS);
    }

    @AfterEach
    void stop() {
        http.close();
        simulator.close();
    }

    @Test
    void completesAChatOverH2c() {
        Completion completion = adapter.complete(AdapterCalls.call(
                attempt(simulator.baseUrl()),
                AdapterCalls.chat(false, "\"simulator\":{\"output_tokens\":6}"),
                CallControl.start()));

        assertThat(completion.choices().getFirst().text().strip().split(" ")).hasSize(6);
        assertThat(http.connectionsOpened()).as("no HTTP/1.1 connection").isZero();
        assertThat(simulator.stats().connections()).isEqualTo(1);
    }

    @Test
    void streamsAToolCallOverH2c() throws Exception {
        List<StreamEvent> events;
        try (EventStream stream = adapter.stream(
                AdapterCalls.call(attempt(simulator.baseUrl()), AdapterCalls.request("""
                        {"model":"acme/chat","stream":true,"messages":[{"role":"user","content":"weather?"}],
                         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
                         "tool_choice":"required"}
                        """), CallControl.start()))) {
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
        assertThat(AdapterCalls.JSON.readTree(call.arguments()).isObject()).isTrue();
        assertThat(simulator.stats().connections()).isEqualTo(1);
    }

    @Test
    void carries200ConcurrentStreamsOnOneConnection() throws Exception {
        int streams = 200;
        List<Future<String>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                // each stream waits 3 s for its first token, so that all of them are open at once
                answers.add(threads.submit(() -> streamText(
                        simulator.baseUrl(),
                        "\"simulator\":{\"ttft_ms\":3000,\"output_tokens\":10,\"tokens_per_second\":100}")));
            }
            BackgroundCall.await(() -> simulator.stats().activeStreams() == streams);
            for (Future<String> answer : answers) {
                assertThat(answer.get().strip().split(" ")).hasSize(10);
            }
        }

        assertThat(simulator.stats().streamsCompleted()).isEqualTo(streams);
        assertThat(simulator.stats().connections()).isEqualTo(1);
        assertThat(http.connectionsOpened()).isZero();
    }

    @Test
    void lostConnectionFailsItsStreamsAsBrokenAndTheNextCallOpensANewOne() throws Exception {
        try (Http2Relay relay = new Http2Relay(simulator.port())) {
            List<List<StreamEvent>> seen = new ArrayList<>();
            List<BackgroundCall> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<StreamEvent> events = new CopyOnWriteArrayList<>();
                seen.add(events);
                calls.add(BackgroundCall.start(() -> {
                    try (EventStream stream = adapter.stream(AdapterCalls.call(
                            attempt(relay.baseUrl()),
                            AdapterCalls.chat(true, "\"simulator\":{\"output_tokens\":200,\"tokens_per_second\":5}"),
                            CallControl.start()))) {
                        return drain(stream, events);
                    }
                }));
            }
            BackgroundCall.await(
                    () -> seen.stream().allMatch(events -> !texts(events).isEmpty()));

            relay.cutAll();

            for (BackgroundCall call : calls) {
                UpstreamException failure = call.thrown(UpstreamException.class);
                assertThat(failure.failure()).isEqualTo(UpstreamFailure.MALFORMED);
                assertThat(failure.failure().retryable()).isTrue();
                assertThat(failure.getMessage())
                        .isEqualTo("The connection to " + AdapterCalls.PROVIDER_NAME
                                + " was lost before the response was complete");
            }
            assertThat(streamText(relay.baseUrl(), "\"simulator\":{\"output_tokens\":4}")
                            .strip()
                            .split(" "))
                    .hasSize(4);
            assertThat(relay.connections()).isEqualTo(2);
        }
    }

    @Test
    @Disabled("Known defect, open in issue 9: passes alone, but after the Anthropic adapter tests in the same"
            + " JVM the stream's first two events do not arrive within 10 s; not yet explained")
    void cancellingAStreamResetsItAndKeepsTheConnectionForOthers() throws Exception {
        try (Http2Relay relay = new Http2Relay(simulator.port())) {
            CallControl control = CallControl.start();
            List<StreamEvent> before = new CopyOnWriteArrayList<>();
            BackgroundCall call = BackgroundCall.start(() -> {
                try (EventStream stream = adapter.stream(AdapterCalls.call(
                        attempt(relay.baseUrl()),
                        AdapterCalls.chat(
                                true,
                                "\"simulator\":{\"fault\":\"stall_mid_stream\",\"fault_after_tokens\":2,\"hang_ms\":60000}"),
                        control))) {
                    return drain(stream, before);
                }
            });
            BackgroundCall.await(() -> texts(before).size() == 2);
            call.awaitBlocked();

            control.abort(UpstreamFailure.CANCELLED);

            assertThat(call.thrown(UpstreamException.class).failure()).isEqualTo(UpstreamFailure.CANCELLED);
            BackgroundCall.await(() -> relay.resets() >= 1);
            assertThat(streamText(relay.baseUrl(), "\"simulator\":{\"output_tokens\":3}")
                            .strip()
                            .split(" "))
                    .hasSize(3);
            assertThat(relay.connections()).isEqualTo(1);
        }
    }

    /**
     * A call aborted before its response head ends at once and leaves the connection to the others; its
     * stream is not reset (Helidon's reset needs its writer's lock, which it takes interruptibly, and the
     * interrupt that ended the wait is still pending then): see {@code Http2Upstream}.
     */
    @Test
    void cancellingACallStillWaitingForItsHeadEndsItAndKeepsTheConnection() throws Exception {
        try (Http2Relay relay = new Http2Relay(simulator.port())) {
            CallControl control = CallControl.start();
            BackgroundCall call = BackgroundCall.start(() -> adapter.complete(AdapterCalls.call(
                    attempt(relay.baseUrl()),
                    AdapterCalls.chat(false, "\"simulator\":{\"fault\":\"hang_before_headers\",\"hang_ms\":60000}"),
                    control)));
            BackgroundCall.await(() -> simulator.stats().requestsReceived() == 1);
            call.awaitBlocked();

            control.abort(UpstreamFailure.CANCELLED);

            assertThat(call.thrown(UpstreamException.class).failure()).isEqualTo(UpstreamFailure.CANCELLED);
            assertThat(streamText(relay.baseUrl(), "\"simulator\":{\"output_tokens\":3}")
                            .strip()
                            .split(" "))
                    .hasSize(3);
            assertThat(relay.connections()).isEqualTo(1);
        }
    }

    @Test
    void resetOfOneStreamByTheUpstreamFailsOnlyThatStream() {
        UpstreamException failure = catchThrowableOfType(
                UpstreamException.class,
                () -> streamText(
                        simulator.baseUrl(),
                        "\"simulator\":{\"fault\":\"reset_mid_stream\",\"fault_after_tokens\":2}"));

        assertThat(failure.failure()).isEqualTo(UpstreamFailure.MALFORMED);
        assertThat(streamText(simulator.baseUrl(), "\"simulator\":{\"output_tokens\":3}")
                        .strip()
                        .split(" "))
                .hasSize(3);
        assertThat(simulator.stats().connections()).isEqualTo(1);
    }

    private String streamText(URI baseUrl, String extraFields) {
        try (EventStream stream = adapter.stream(
                AdapterCalls.call(attempt(baseUrl), AdapterCalls.chat(true, extraFields), CallControl.start()))) {
            return String.join("", texts(drain(stream, new ArrayList<>())));
        }
    }

    /** An attempt on provider {@code sim} at {@code baseUrl}, spoken to over HTTP/2. */
    static Attempt attempt(URI baseUrl) {
        Provider provider = new Provider(
                "sim",
                AdapterCalls.PROVIDER_NAME,
                "openai",
                new Connection.OpenAiCompatible(baseUrl, "sk-sim-test", MaxTokensField.AS_SENT, HttpVersion.HTTP_2),
                Optional.empty(),
                Provider.Links.none());
        return AdapterCalls.attempt(provider, "sim-small");
    }

    private static List<String> texts(List<StreamEvent> events) {
        return events.stream()
                .filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).text())
                .collect(Collectors.toList());
    }
}
