package dev.switchboard.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.provider.CredentialResolver;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.UpstreamCall;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.response.Choice;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.CompletionAssembler;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every provider adapter must do, checked against the upstream simulator speaking the adapter's
 * wire format. A subclass names its adapter and how to reach the simulator; this suite checks:
 * <ul>
 *   <li>the request: for each canonical input of {@link ContractRequests}, the body the simulator
 *       received equals the golden file {@code /contract/<kind>/<case>.json} on the test class path;</li>
 *   <li>the answer: streamed events assemble into exactly the completion the same request gets when not
 *       streamed; the stream begins with the provider's identity, has exactly one finish and one usage,
 *       and its tool-call fragments reassemble into valid JSON;</li>
 *   <li>native relay: asked for, the provider's own chunks come too, each after the events decoded from
 *       it; not asked for, none come;</li>
 *   <li>errors: each upstream status is classified as the one classification says.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AdapterContract {
    /** The gateway key a contract call is made for; the configured credential ignores it. */
    private static final ApiKey CALLER =
            new ApiKey("0".repeat(64), "contract", "sk-sb-v1-000...000", false, false, Instant.EPOCH, Instant.EPOCH);

    private static final ObjectMapper JSON = new ObjectMapper();
    private UpstreamSimulator simulator;

    /** The adapter under test. */
    protected abstract ProviderAdapter adapter();

    /** A provider of the adapter's kind at {@code baseUrl} (the simulator's), with a key. */
    protected abstract Provider provider(URI baseUrl);

    /** The body the simulator last received, in the adapter's wire format. */
    protected JsonNode lastRequestBody() {
        return simulator.stats().lastRequestBody().orElseThrow();
    }

    @BeforeAll
    void startSimulator() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
    }

    @AfterAll
    void stopSimulator() {
        simulator.close();
    }

    protected Attempt attempt(String upstreamModel) {
        Provider provider = provider(simulator.baseUrl());
        Endpoint endpoint = new Endpoint(
                provider.slug(), upstreamModel, Pricing.of("0.000001", "0.000002"), 32768, 0, "unknown", List.of());
        Model model = new Model(
                "acme/contract",
                "Contract",
                0,
                "",
                32768,
                List.of("text", "image", "file"),
                List.of("text"),
                "Other",
                null,
                List.of(),
                List.of(endpoint));
        return new Attempt(model, endpoint, provider);
    }

    private UpstreamCall call(ChatRequest request, boolean relayNative) {
        Attempt attempt = attempt("sim-small");
        return new UpstreamCall(
                attempt,
                request,
                CredentialResolver.CONFIGURED.resolve(attempt, CALLER),
                CallControl.start(),
                relayNative);
    }

    static Stream<String> requestCases() {
        return ContractRequests.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void sendsTheGoldenBodyForEachCanonicalInput(String name) throws IOException {
        adapter().complete(call(ContractRequests.named(name), false));

        JsonNode expected = golden(name);
        assertThat(lastRequestBody()).as("body sent for %s", name).isEqualTo(expected);
    }

    @ParameterizedTest(name = "tool_call={0}")
    @ValueSource(booleans = {false, true})
    void streamedEventsAssembleIntoTheCompletionOfTheSameRequest(boolean toolCall) {
        ChatRequest request = ContractRequests.simulated(toolCall, false);
        Completion whole = adapter().complete(call(request, false));
        List<StreamEvent> events = drain(adapter().stream(call(ContractRequests.simulated(toolCall, true), false)));

        Completion assembled = new CompletionAssembler().acceptAll(events).build();

        assertThat(withoutIdentity(assembled).choices())
                .isEqualTo(withoutIdentity(whole).choices());
        assertThat(assembled.usage()).isEqualTo(whole.usage());
    }

    @Test
    void aStreamHasItsIdentityFirstOneFinishAndOneUsage() {
        List<StreamEvent> events = drain(adapter().stream(call(ContractRequests.simulated(false, true), false)));

        assertThat(events.getFirst()).isInstanceOf(StreamEvent.Started.class);
        assertThat(events).filteredOn(StreamEvent.Finished.class::isInstance).hasSize(1);
        assertThat(events)
                .filteredOn(StreamEvent.UsageReported.class::isInstance)
                .hasSize(1);
        assertThat(events).noneMatch(StreamEvent.Native.class::isInstance);
    }

    @Test
    void toolCallFragmentsReassembleIntoValidJson() throws IOException {
        List<StreamEvent> events = drain(adapter().stream(call(ContractRequests.simulated(true, true), false)));

        List<ContentPart.ToolCall> calls = new CompletionAssembler()
                .acceptAll(events)
                .build()
                .choices()
                .getFirst()
                .toolCalls();
        assertThat(calls).isNotEmpty();
        for (ContentPart.ToolCall call : calls) {
            assertThat(call.id()).isNotEmpty();
            assertThat(call.name()).isNotEmpty();
            assertThat(JSON.readTree(call.arguments()).isObject())
                    .as("arguments of %s", call.name())
                    .isTrue();
        }
    }

    @Test
    void relaysTheProvidersOwnChunksAfterTheirEventsWhenAsked() {
        List<StreamEvent> events = drain(adapter().stream(call(ContractRequests.simulated(false, true), true)));

        assertThat(events).anyMatch(StreamEvent.Native.class::isInstance);
        assertThat(events)
                .filteredOn(StreamEvent.Native.class::isInstance)
                .allSatisfy(e -> assertThat(((StreamEvent.Native) e).format())
                        .isEqualTo(adapter().wireFormat()));
        int firstText = indexOf(events, StreamEvent.TextDelta.class);
        int firstNative = indexOf(events, StreamEvent.Native.class);
        assertThat(firstNative).as("a chunk follows the events decoded from it").isGreaterThan(firstText);
        assertThat(adapter()
                        .complete(call(ContractRequests.simulated(false, false), true))
                        .source())
                .isPresent();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 401, 404, 413, 422, 429, 500, 503})
    void classifiesEachUpstreamStatusOnce(int status) {
        UpstreamException e = catchThrowableOfType(
                UpstreamException.class, () -> adapter().complete(call(ContractRequests.failing(status), false)));

        assertThat(e).as("HTTP %d fails", status).isNotNull();
        assertThat(e.failure()).isEqualTo(UpstreamFailure.ofStatus(status));
        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.metadata()).containsKey("raw");
    }

    /**
     * The golden body of a case, for this adapter's kind. A missing one fails the test; with the system
     * property {@value #RECORD_PROPERTY} naming a directory, the body sent is written there first, to be
     * read, judged and committed by hand.
     */
    private JsonNode golden(String name) throws IOException {
        String resource = "/contract/" + adapter().kind() + "/" + name + ".json";
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            if (in == null) {
                String record = System.getProperty(RECORD_PROPERTY);
                if (record != null) {
                    java.nio.file.Path file =
                            java.nio.file.Path.of(record, adapter().kind(), name + ".json");
                    java.nio.file.Files.createDirectories(file.getParent());
                    java.nio.file.Files.writeString(file, lastRequestBody().toPrettyString() + "\n");
                }
                throw new AssertionError("golden file missing from the test class path: " + resource
                        + "; the body sent was " + lastRequestBody().toPrettyString());
            }
            return JSON.readTree(in);
        }
    }

    /** System property naming a directory to record missing golden bodies into. */
    public static final String RECORD_PROPERTY = "contract.record";

    private static Completion withoutIdentity(Completion completion) {
        List<Choice> choices = new ArrayList<>();
        for (Choice choice : completion.choices()) {
            List<ContentPart> parts = new ArrayList<>();
            for (ContentPart part : choice.content()) {
                // the simulator mints tool-call ids per response
                parts.add(
                        part instanceof ContentPart.ToolCall call
                                ? new ContentPart.ToolCall("", call.name(), call.arguments(), Extensions.NONE)
                                : part);
            }
            choices.add(new Choice(choice.index(), parts, choice.finish(), choice.nativeFinish()));
        }
        return new Completion(
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                choices,
                completion.usage(),
                java.util.Optional.empty());
    }

    private static int indexOf(List<StreamEvent> events, Class<? extends StreamEvent> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<StreamEvent> drain(EventStream stream) {
        try (stream) {
            List<StreamEvent> events = new ArrayList<>();
            for (StreamEvent event = stream.next(); !(event instanceof StreamEvent.End); event = stream.next()) {
                events.add(event);
            }
            return events;
        }
    }
}
