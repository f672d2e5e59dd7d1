package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API, simulated. Reads and checks the request
 * ({@link AnthropicRequest}), records it in {@link SimulatorStats}, resolves its controls, then answers,
 * streams, or acts out the requested fault, with Anthropic's error bodies.
 *
 * <p>Authentication as Anthropic's: a key in {@code x-api-key} (or a bearer token) is required (401
 * otherwise), and so is {@code anthropic-version} (400); a key refused with
 * {@link UpstreamSimulator#refuseCredential} is refused here too. The controls of the OpenAI side apply,
 * with these differences and additions: reasoning tokens are spent only when the request turns
 * {@code thinking} on (8 unless {@code reasoning_tokens} says otherwise) and show as a thinking block;
 * {@code tool_calls} (1..16, default 1) is how many tools a tool-calling answer calls;
 * {@code redacted_thinking} adds a redacted-thinking block; {@code cache_write_tokens} reports prompt
 * tokens as written to the cache; {@code stream_error} (an Anthropic error type such as
 * {@code overloaded_error}) ends a stream with an {@code error} event after {@code fault_after_tokens}
 * tokens.
 *
 * <p>Thread-safe; Helidon calls it on one virtual thread per request.
 */
final class AnthropicMessagesHandler implements Handler {
    static final int MAX_TOOL_CALLS = 16;

    private final SimulatorOptions options;
    private final ObjectMapper mapper;
    private final SimulatorStats stats;
    private final StopSignal stop;
    private final Clock clock;
    private final CredentialRefusals refusals;
    private final CompletionPlanner planner = new CompletionPlanner(WordList.STANDARD);
    private final AnthropicStreamResponder streams;
    private final CompletionResponder bodies;
    private final AtomicLong sequence = new AtomicLong();

    AnthropicMessagesHandler(
            SimulatorOptions options,
            ObjectMapper mapper,
            SimulatorStats stats,
            StopSignal stop,
            Clock clock,
            CredentialRefusals refusals) {
        this.options = options;
        this.mapper = mapper;
        this.stats = stats;
        this.stop = stop;
        this.clock = clock;
        this.refusals = refusals;
        this.streams = new AnthropicStreamResponder(stats, stop);
        this.bodies = new CompletionResponder(stop);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        long id = sequence.incrementAndGet();
        String requestId = "req_sim_" + id;
        res.header(HeaderNames.create("request-id"), requestId);
        Map<String, String> headers = headers(req);
        JsonNode body = parse(read(req));
        if (!(body instanceof ObjectNode object)) {
            stats.recordUnparsableRequest(headers);
            send(res, AnthropicError.invalidRequest("The request body is not valid JSON."), requestId);
            return;
        }
        stats.recordRequest(object, headers);
        Optional<String> key = Optional.ofNullable(headers.get("x-api-key"))
                .or(() -> Optional.ofNullable(headers.get("authorization"))
                        .filter(value -> value.startsWith("Bearer "))
                        .map(value -> value.substring("Bearer ".length())));
        if (key.isEmpty()) {
            send(res, new AnthropicError(401, "authentication_error", "x-api-key header is required"), requestId);
            return;
        }
        if (!headers.containsKey("anthropic-version")) {
            send(res, AnthropicError.invalidRequest("anthropic-version: header is required"), requestId);
            return;
        }
        Optional<CredentialRefusals.Refusal> refused = refusals.refusalFor(Optional.of("Bearer " + key.get()));
        if (refused.isPresent()) {
            stop.sleep(refused.get().after());
            send(res, AnthropicError.simulated(refused.get().status()), requestId);
            return;
        }
        try {
            AnthropicRequest request = AnthropicRequest.parse(object);
            ControlSource source =
                    ControlSource.of(object, name -> req.headers().first(HeaderNames.create(name)));
            respond(request, source, id, requestId, res);
        } catch (RequestRejected e) {
            send(res, AnthropicError.of(e.error()), requestId);
        }
    }

    private void respond(
            AnthropicRequest request, ControlSource source, long id, String requestId, ServerResponse res) {
        RequestControls controls = thinkingAware(RequestControls.read(source, options), request.thinking());
        int toolCalls = (int) source.whole("tool_calls", 1, MAX_TOOL_CALLS).orElse(1);
        boolean redacted = source.flag("redacted_thinking").orElse(false);
        long cacheWrite = source.whole("cache_write_tokens", 0, RequestControls.MAX_TOKENS)
                .orElse(0);
        Optional<AnthropicError> streamError = source.text("stream_error")
                .map(type -> new AnthropicError(
                        AnthropicError.statusOf(type),
                        type,
                        "Simulated in-stream " + type + " from the Switchboard upstream simulator."));
        switch (controls.fault()) {
            case STATUS -> {
                stop.sleep(controls.timeToFirstToken());
                controls.retryAfterSeconds().ifPresent(s -> res.header(HeaderNames.RETRY_AFTER, Long.toString(s)));
                send(res, AnthropicError.simulated(controls.status()), requestId);
            }
            case HANG_BEFORE_HEADERS -> {
                stop.sleep(controls.hang());
                throw new CloseConnectionException("simulated hang before headers is over");
            }
            case EMPTY_BODY -> {
                stop.sleep(controls.timeToFirstToken());
                res.status(Status.OK_200);
                res.header(
                        HeaderNames.CONTENT_TYPE, request.chat().stream() ? "text/event-stream" : "application/json");
                res.send();
            }
            case NONE, RESET_MID_STREAM, MALFORMED_CHUNK, STALL_MID_STREAM -> {
                CompletionPlan plan = planner.plan(
                        request.chat(),
                        controls,
                        "msg-sim-" + id,
                        clock.instant().getEpochSecond());
                AnthropicAnswer answer =
                        AnthropicAnswer.of(plan, request, toolCalls, redacted, cacheWrite, WordList.STANDARD);
                if (request.chat().stream()) {
                    streams.respond(AnthropicEncoder.stream(answer), controls, streamError, requestId, res);
                } else {
                    bodies.respond(AnthropicEncoder.message(answer), controls, res);
                }
            }
        }
    }

    /** Anthropic's models think only when asked to: the reasoning tokens of a request with thinking off are none. */
    private static RequestControls thinkingAware(RequestControls c, boolean thinking) {
        OptionalInt reasoning = !thinking
                ? OptionalInt.of(0)
                : c.reasoningTokens().isPresent()
                        ? c.reasoningTokens()
                        : OptionalInt.of(CompletionPlanner.DEFAULT_REASONING_TOKENS);
        return new RequestControls(
                c.timeToFirstToken(),
                c.tokensPerSecond(),
                c.outputTokens(),
                c.seed(),
                c.toolCall(),
                reasoning,
                c.fault(),
                c.status(),
                c.retryAfterSeconds(),
                c.faultAfterTokens(),
                c.hang(),
                c.cachedTokens());
    }

    private static byte[] read(ServerRequest req) {
        try {
            return req.content().inputStream().readAllBytes();
        } catch (IOException | UncheckedIOException e) {
            throw new CloseConnectionException("could not read the request body", e);
        }
    }

    /** Parses without ever surfacing the parser's message: it may quote the prompt. */
    private @Nullable JsonNode parse(byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> headers(ServerRequest req) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : req.headers()) {
            headers.merge(header.name().toLowerCase(Locale.ROOT), header.values(), (a, b) -> a + ", " + b);
        }
        return headers;
    }

    private static void send(ServerResponse res, AnthropicError error, String requestId) {
        res.status(Status.create(error.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(error.toJson(requestId));
    }
}
