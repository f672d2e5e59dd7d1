package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.accounting.Accounting;
import dev.switchboard.core.chat.Attribution;
import dev.switchboard.core.chat.ChatRequest;
import dev.switchboard.core.chat.ChatRequestParser;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlanner;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.Ticker;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import dev.switchboard.provider.ProviderAdapters;
import dev.switchboard.server.http.ErrorResponses;
import dev.switchboard.server.http.RequestBodies;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.time.Duration;

/**
 * {@code POST /chat/completions}: the request path.
 *
 * <p>authenticate the key → admit (503 while the generation backlog is at its bound) → read and check
 * the body → plan the route → reserve (accounting, before) → call the provider through its adapter
 * (buffered or streamed) → settle (accounting, after, exactly once, in {@code finally}). Errors before
 * routing are answered at once and leave no generation record; from the reservation on, every outcome
 * is recorded. Admission comes before the body is read and before any upstream call, so a refused
 * request costs one counter read; a request once admitted always leaves its record, whatever the
 * backlog by then.
 */
public final class ChatCompletionsEndpoint {
    /** When to try again after a refusal for a full backlog: the writer retries at least every 5 s. */
    private static final GatewayException BACKLOG_FULL = GatewayException.backlogFull(Duration.ofSeconds(5));
    private final KeyRegistry keys;
    private final RequestBodies bodies;
    private final ChatRequestParser parser = new ChatRequestParser();
    private final RoutePlanner planner;
    private final ProviderAdapters adapters;
    private final Accounting accounting;
    private final GenerationLog generations;
    private final GenerationIds ids;
    private final Clock clock;
    private final BufferedResponder buffered;
    private final StreamingResponder streaming;

    /** @param generations says whether a new request may start ({@link GenerationLog#admit()}) */
    public ChatCompletionsEndpoint(KeyRegistry keys, RequestBodies bodies, RoutePlanner planner, ProviderAdapters adapters,
                                   Accounting accounting, GenerationLog generations, Ticker ticker, TimeoutWatchdog watchdog,
                                   GatewayConfig config, ErrorResponses errors, ObjectMapper json, Clock clock) {
        this.keys = keys;
        this.bodies = bodies;
        this.planner = planner;
        this.adapters = adapters;
        this.accounting = accounting;
        this.generations = generations;
        this.ids = new GenerationIds(clock);
        this.clock = clock;
        UsageSettlement settlement = new UsageSettlement(new TokenEstimator());
        this.buffered = new BufferedResponder(watchdog, config.timeouts(), settlement, errors, json);
        this.streaming = new StreamingResponder(watchdog, ticker, config.timeouts(), config.streaming().keepAliveInterval(),
                settlement, errors, json);
    }

    /** Handles one request; throws {@link GatewayException} for failures before anything was sent. */
    public void handle(ServerRequest req, ServerResponse res) {
        long receivedNanos = System.nanoTime();
        ApiKey key = keys.authenticateInference(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        if (!generations.admit()) {
            throw BACKLOG_FULL;
        }
        ChatRequest request = parser.parse(bodies.readJson(req), attribution(req.headers()));
        Attempt attempt = planner.plan(request).first();
        ProviderAdapter adapter = adapters.forKind(attempt.provider().kind())
                .orElseThrow(() -> new IllegalStateException("no adapter for kind " + attempt.provider().kind()));
        ChatExchange exchange = new ChatExchange(ids.next(), key, request, attempt, CallControl.start(),
                clock.instant(), receivedNanos);
        res.header("X-Generation-Id", exchange.generationId);
        Accounting.Reservation reservation = accounting.reserve(key, request, attempt);
        try {
            if (request.stream()) {
                streaming.respond(exchange, adapter, res);
            } else {
                buffered.respond(exchange, adapter, res);
            }
        } catch (RuntimeException | Error e) {
            // Answered as a masked 500 by the route guard (or cut, if the stream had begun); the record
            // must say what the client got, whatever was thrown.
            exchange.failed(e instanceof GatewayException known ? known : ErrorResponses.internal());
            throw e;
        } finally {
            accounting.settle(reservation, exchange.toRecord(System.nanoTime()));
        }
    }

    private static Attribution attribution(ServerRequestHeaders headers) {
        String title = headers.first(HeaderNames.create("X-OpenRouter-Title"))
                .or(() -> headers.first(HeaderNames.create("X-Title"))).orElse(null);
        return Attribution.of(headers.first(HeaderNames.create("HTTP-Referer")).orElse(null), title, null);
    }
}
