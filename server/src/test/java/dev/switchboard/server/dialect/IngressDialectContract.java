package dev.switchboard.server.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.CompletionAssembler;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.model.response.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every ingress dialect (an API clients speak) must do with the canonical model:
 * <ul>
 *   <li>requests: each golden client body ({@code /dialect/<format>/requests/*.json}) read into the
 *       canonical request and written back in the same format is the same body, so nothing a client
 *       sends is lost on the translating lane;</li>
 *   <li>answers: each canonical event sequence of {@link #EVENTS} is rendered as the golden stream
 *       ({@code /dialect/<format>/streams/<case>.txt}, one payload a line), and the stream and the whole
 *       completion the same events assemble into say the same thing: text deltas join to the answer's
 *       text, tool-call fragments to its calls' JSON, with exactly one finish and one usage.</li>
 * </ul>
 */
public abstract class IngressDialectContract {
    protected static final ObjectMapper JSON = dev.switchboard.server.http.Json.mapper();
    protected static final TokenUsage USAGE = new TokenUsage(12, 9, 0, 0, 0);

    /** Canonical answers, as a provider adapter yields them. */
    protected static final Map<String, List<StreamEvent>> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put(
                "text",
                List.of(
                        started(),
                        delta("Hel"),
                        delta("lo"),
                        delta(" there."),
                        new StreamEvent.Finished(0, FinishReason.STOP, Optional.of("end_turn")),
                        new StreamEvent.UsageReported(USAGE)));
        EVENTS.put(
                "tool-calls",
                List.of(
                        started(),
                        delta("Checking."),
                        new StreamEvent.ToolCallDelta(0, 0, Optional.of("call_a"), Optional.of("get_weather"), ""),
                        new StreamEvent.ToolCallDelta(0, 0, Optional.empty(), Optional.empty(), "{\"city\":"),
                        new StreamEvent.ToolCallDelta(
                                0, 1, Optional.of("call_b"), Optional.of("get_weather"), "{\"city\":\"Rome\"}"),
                        new StreamEvent.ToolCallDelta(0, 0, Optional.empty(), Optional.empty(), "\"Oslo\"}"),
                        new StreamEvent.Finished(0, FinishReason.TOOL_CALLS, Optional.of("tool_use")),
                        new StreamEvent.UsageReported(USAGE)));
        EVENTS.put(
                "reasoning",
                List.of(
                        started(),
                        new StreamEvent.ReasoningDelta(0, reasoning("Let me ", Optional.empty())),
                        new StreamEvent.ReasoningDelta(0, reasoning("think.", Optional.empty())),
                        new StreamEvent.ReasoningDelta(0, reasoning("", Optional.of("sig-9"))),
                        delta("4"),
                        new StreamEvent.Finished(0, FinishReason.STOP, Optional.of("stop")),
                        new StreamEvent.UsageReported(USAGE)));
        EVENTS.put(
                "refusal",
                List.of(
                        started(),
                        new StreamEvent.RefusalDelta(0, "I can't "),
                        new StreamEvent.RefusalDelta(0, "help with that."),
                        new StreamEvent.Finished(0, FinishReason.CONTENT_FILTER, Optional.of("refusal")),
                        new StreamEvent.UsageReported(USAGE)));
    }

    /** The wire format's name, which names the golden directories. */
    protected abstract String format();

    /** A client body read into the canonical request. */
    protected abstract ChatRequest read(JsonNode body);

    /** A canonical request written in the dialect's format (the translating lane's writer of the same format). */
    protected abstract JsonNode write(ChatRequest request);

    /** The payloads of the stream a client gets for these events (no framing), the end marker included. */
    protected abstract List<String> renderStream(List<StreamEvent> events);

    /** The whole answer a client gets for this completion. */
    protected abstract JsonNode renderCompletion(Completion completion);

    /** The answer text, joined, of a rendered stream. */
    protected abstract String streamText(List<JsonNode> chunks);

    /** The answer text of a rendered completion. */
    protected abstract String completionText(JsonNode completion);

    /** The tool calls' arguments, joined per call (by position), of a rendered stream. */
    protected abstract List<String> streamToolArguments(List<JsonNode> chunks);

    /** The tool calls' arguments of a rendered completion. */
    protected abstract List<String> completionToolArguments(JsonNode completion);

    /** How many finishes and usage reports a rendered stream has. */
    protected abstract long finishes(List<JsonNode> chunks);

    protected abstract long usages(List<JsonNode> chunks);

    /** The payloads that are JSON (not the end marker). */
    protected abstract List<JsonNode> chunks(List<String> payloads);

    protected static Stream<String> eventCases() {
        return EVENTS.keySet().stream();
    }

    /** The client bodies every dialect provides, one per kind of conversation, plus fields of its own. */
    protected static Stream<String> requestCases() {
        return Stream.of(
                "plain",
                "system-and-turns",
                "image",
                "pdf",
                "tools-and-results",
                "parallel-tool-calls",
                "structured-output",
                "reasoning",
                "cache-control",
                "sampling",
                "extensions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void aClientBodyWrittenBackFromTheCanonicalRequestIsTheSameBody(String name) throws IOException {
        JsonNode body = resource("requests/" + name + ".json");

        JsonNode written =
                write(read(body.deepCopy()).toBuilder().source(Optional.empty()).build());

        assertThat(written)
                .as("%s written back from the canonical request", name)
                .isEqualTo(body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventCases")
    void rendersEachEventSequenceAsTheGoldenStream(String name) throws IOException {
        List<String> payloads = renderStream(EVENTS.get(name));

        String record = System.getProperty("dialect.record");
        if (record != null && getClass().getResource("/dialect/" + format() + "/streams/" + name + ".txt") == null) {
            // a missing golden stream is written there, to be read, judged and committed by hand; the test still fails
            java.nio.file.Path file = java.nio.file.Path.of(record, format(), name + ".txt");
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, String.join("\n", payloads) + "\n");
        }
        String expected = text("streams/" + name + ".txt");
        assertThat(String.join("\n", payloads) + "\n").as("%s rendered", name).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventCases")
    void aStreamAndItsWholeCompletionSayTheSame(String name) {
        List<StreamEvent> events = EVENTS.get(name);
        List<JsonNode> chunks = chunks(renderStream(events));
        JsonNode whole =
                renderCompletion(new CompletionAssembler().acceptAll(events).build());

        assertThat(streamText(chunks)).isEqualTo(completionText(whole));
        assertThat(streamToolArguments(chunks)).isEqualTo(completionToolArguments(whole));
        for (String arguments : streamToolArguments(chunks)) {
            assertThat(parses(arguments))
                    .as("tool-call fragments reassemble to JSON: %s", arguments)
                    .isTrue();
        }
        assertThat(finishes(chunks)).isEqualTo(1);
        assertThat(usages(chunks)).isEqualTo(1);
    }

    private static boolean parses(String json) {
        try {
            return JSON.readTree(json).isObject();
        } catch (IOException e) {
            return false;
        }
    }

    protected JsonNode resource(String name) throws IOException {
        return JSON.readTree(text(name));
    }

    protected String text(String name) throws IOException {
        String path = "/dialect/" + format() + "/" + name;
        try (InputStream in = getClass().getResourceAsStream(path)) {
            if (in == null) {
                throw new AssertionError("golden file missing from the test class path: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static StreamEvent started() {
        return new StreamEvent.Started(Optional.of("up-1"), Optional.of("upstream-model"));
    }

    private static StreamEvent delta(String text) {
        return new StreamEvent.TextDelta(0, text);
    }

    private static ContentPart.Reasoning reasoning(String text, Optional<String> signature) {
        return new ContentPart.Reasoning(
                ContentPart.Reasoning.Kind.TEXT,
                text,
                signature,
                Optional.empty(),
                Optional.of("anthropic-claude-v1"),
                Extensions.NONE);
    }
}
