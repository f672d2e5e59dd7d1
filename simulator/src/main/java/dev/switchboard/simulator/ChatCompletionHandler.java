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
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/chat/completions}: reads the request, records it in {@link SimulatorStats},
 * resolves its controls, then answers, streams, or acts out the requested fault.
 *
 * <p>Thread-safe; Helidon calls it on one virtual thread per request.
 */
final class ChatCompletionHandler implements Handler {

    private final SimulatorOptions options;
    private final ObjectMapper mapper;
    private final SimulatorStats stats;
    private final StopSignal stop;
    private final Clock clock;
    private final CompletionPlanner planner = new CompletionPlanner(WordList.STANDARD);
    private final StreamResponder streams;
    private final CompletionResponder completions;
    private final AtomicLong sequence = new AtomicLong();
    private final CredentialRefusals refusals;

    ChatCompletionHandler(
            SimulatorOptions options,
            ObjectMapper mapper,
            SimulatorStats stats,
            StopSignal stop,
            Clock clock,
            CredentialRefusals refusals) {
        this.refusals = refusals;
        this.options = options;
        this.mapper = mapper;
        this.stats = stats;
        this.stop = stop;
        this.clock = clock;
        this.streams = new StreamResponder(stats, stop);
        this.completions = new CompletionResponder(stop);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Map<String, String> headers = headers(req);
        JsonNode body = parse(read(req));
        if (body == null || !body.isObject()) {
            stats.recordUnparsableRequest(headers);
            send(
                    res,
                    OpenAiError.invalidRequest("We could not parse the JSON body of your request. "
                            + "The upstream simulator expects an OpenAI chat-completions JSON object."));
            return;
        }
        stats.recordRequest((ObjectNode) body, headers);
        Optional<CredentialRefusals.Refusal> refused =
                refusals.refusalFor(req.headers().first(HeaderNames.AUTHORIZATION));
        if (refused.isPresent()) {
            stop.sleep(refused.get().after());
            send(res, OpenAiError.simulated(refused.get().status()));
            return;
        }
        try {
            ChatRequest request = ChatRequest.parse(body);
            ControlSource source = ControlSource.of(body, name -> req.headers().first(HeaderNames.create(name)));
            respond(request, RequestControls.read(source, options), res);
        } catch (RequestRejected e) {
            send(res, e.error());
        }
    }

    private void respond(ChatRequest request, RequestControls controls, ServerResponse res) {
        switch (controls.fault()) {
            case STATUS -> {
                stop.sleep(controls.timeToFirstToken());
                controls.retryAfterSeconds().ifPresent(s -> res.header(HeaderNames.RETRY_AFTER, Long.toString(s)));
                send(res, OpenAiError.simulated(controls.status()));
            }
            case HANG_BEFORE_HEADERS -> {
                stop.sleep(controls.hang());
                throw new CloseConnectionException("simulated hang before headers is over");
            }
            case EMPTY_BODY -> {
                stop.sleep(controls.timeToFirstToken());
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, request.stream() ? "text/event-stream" : "application/json");
                res.send();
            }
            case NONE, RESET_MID_STREAM, MALFORMED_CHUNK, STALL_MID_STREAM -> {
                long id = sequence.incrementAndGet();
                CompletionPlan plan = planner.plan(
                        request, controls, "chatcmpl-sim-" + id, clock.instant().getEpochSecond());
                if (request.stream()) {
                    streams.respond(plan, request.includeUsage(), controls, res);
                } else {
                    completions.respond(plan, controls, res);
                }
            }
        }
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

    private static void send(ServerResponse res, OpenAiError error) {
        res.status(Status.create(error.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(error.toJson());
    }
}
