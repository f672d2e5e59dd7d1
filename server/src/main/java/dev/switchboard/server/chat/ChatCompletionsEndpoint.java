package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.pipeline.Exchange;
import dev.switchboard.core.pipeline.RequestPipeline;
import dev.switchboard.core.pipeline.ResponseSink;
import dev.switchboard.core.preset.ActivePreset;
import dev.switchboard.core.preset.RequestPresets;
import dev.switchboard.core.routing.names.ModelNames;
import dev.switchboard.core.storage.IoLogStore;
import dev.switchboard.core.upstream.Ticker;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.provider.openai.OpenAiChatRequests;
import dev.switchboard.provider.openai.OpenAiModelFields;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.ErrorResponses;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.RequestBodies;
import dev.switchboard.server.iolog.IoLogWriter;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /chat/completions}: OpenAI's chat completions API as OpenRouter speaks it (the ingress
 * dialect), in front of the {@link RequestPipeline}.
 *
 * <p>authenticate the key → admit (503 while the generation backlog is at its bound) → read the body
 * → apply the preset it names, if any ({@link RequestPresets}) → rewrite its model fields
 * ({@link OpenAiModelFields}: URI parameters, aliases, forced model) → parse it into the canonical
 * request ({@link OpenAiChatRequests}) → the pipeline, writing to an SSE or a JSON sink. Errors before
 * the pipeline reserves are answered at once and leave no generation
 * record; from the reservation on, every outcome is recorded. Admission comes before the body is read,
 * so a refused request costs one counter read; a request once admitted always leaves its record.
 */
public final class ChatCompletionsEndpoint {
    /** When to try again after a refusal for a full backlog: the writer retries at least every 5 s. */
    private static final Duration BACKLOG_RETRY_AFTER = Duration.ofSeconds(5);

    private final KeyRegistry keys;
    private final RequestBodies bodies;
    private final GenerationLog generations;
    private final RequestPresets presets;
    private final RequestPipeline pipeline;
    private final ErrorResponses errors;
    private final ObjectMapper json;
    private final IoLogWriter ioLogs;
    private final Ticker ticker;
    private final Duration keepAliveInterval;
    private final GenerationIds ids;
    private final Clock clock;
    private final OpenAiModelFields modelFields;

    /**
     * @param generations says whether a new request may start ({@link GenerationLog#admit()})
     * @param modelNames  the gateway's model aliases and forced model, applied to the body's model fields
     *                    (with their URI parameters) before it is read
     */
    public ChatCompletionsEndpoint(
            KeyRegistry keys,
            RequestBodies bodies,
            GenerationLog generations,
            RequestPresets presets,
            RequestPipeline pipeline,
            ErrorResponses errors,
            ObjectMapper json,
            Ticker ticker,
            Duration keepAliveInterval,
            Clock clock,
            ModelNames modelNames,
            IoLogWriter ioLogs) {
        this.ioLogs = ioLogs;
        this.keys = keys;
        this.bodies = bodies;
        this.generations = generations;
        this.presets = presets;
        this.pipeline = pipeline;
        this.errors = errors;
        this.json = json;
        this.ticker = ticker;
        this.keepAliveInterval = keepAliveInterval;
        this.ids = new GenerationIds(clock);
        this.clock = clock;
        this.modelFields = new OpenAiModelFields(modelNames);
    }

    /** Registers the endpoint's routes. */
    public void register(ApiRouteTable routes) {
        routes.add(Method.POST, "/chat/completions", this::handle);
    }

    /** Handles one request; throws {@link GatewayException} for failures before anything was sent. */
    public void handle(ServerRequest req, ServerResponse res) {
        long receivedNanos = System.nanoTime();
        ApiKey key = keys.authenticateInference(
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        if (!generations.admit()) {
            throw GatewayException.backlogFull(BACKLOG_RETRY_AFTER);
        }
        JsonNode body = bodies.readJson(req);
        Optional<ActivePreset> preset = presets.apply(body);
        JsonNode rewritten = modelFields.rewrite(body);
        ChatRequest request = withBetaFeatures(OpenAiChatRequests.read(rewritten, attribution(req.headers())), req);
        Exchange exchange = new Exchange(ids.next(), key, request, clock.instant(), receivedNanos, System::nanoTime);
        preset.ifPresent(p -> exchange.usedPreset(p.id()));
        boolean logged = ioLogs.config().logs(key.workspaceId(), key.hash());
        if (logged) {
            exchange.captureOutput(ioLogs.config().maxChars());
        }
        res.header("X-Generation-Id", exchange.generationId());
        pipeline.run(exchange, sink(request, exchange, res, RouterMetadataJson.requested(req)));
        if (logged) {
            logContent(key, exchange, rewritten);
        }
    }

    /** Queues the request's content for input/output logging, each side cut at the configured bound. */
    private void logContent(ApiKey key, Exchange exchange, JsonNode body) {
        int max = ioLogs.config().maxChars();
        String input = new String(Json.bytes(json, body), java.nio.charset.StandardCharsets.UTF_8);
        boolean cut = input.length() > max || exchange.outputTruncated();
        ioLogs.offer(new IoLogStore.Entry(
                exchange.generationId(),
                clock.instant(),
                key.hash(),
                key.workspaceId(),
                input.length() > max ? input.substring(0, max) : input,
                exchange.capturedOutput().orElse(""),
                cut));
    }

    private ResponseSink sink(ChatRequest request, Exchange exchange, ServerResponse res, boolean metadata) {
        return request.stream()
                ? new SseResponseSink(
                        res,
                        errors,
                        json,
                        ticker,
                        keepAliveInterval,
                        exchange.generationId(),
                        exchange.createdEpochSeconds(),
                        request.model(),
                        metadata)
                : new JsonResponseSink(
                        res, errors, json, exchange.generationId(), exchange.createdEpochSeconds(), metadata);
    }

    /** The conversation a request belongs to, for sticky routing (a body's {@code session_id} wins). */
    private static final io.helidon.http.HeaderName SESSION = HeaderNames.create("x-session-id");
    /** The app's marketplace categories, for the app rankings. */
    private static final io.helidon.http.HeaderName CATEGORIES = HeaderNames.create("X-OpenRouter-Categories");

    private static final io.helidon.http.HeaderName BETA_HEADER = HeaderNames.create(BetaFeatures.HEADER);

    /** The request with the feature flags of the client's {@code x-anthropic-beta} header, when it sent one. */
    private static ChatRequest withBetaFeatures(ChatRequest request, ServerRequest req) {
        return req.headers()
                .first(BETA_HEADER)
                .map(flags -> request.toBuilder()
                        .betaFeatures(BetaFeatures.parse(flags))
                        .build())
                .orElse(request);
    }

    private static Attribution attribution(ServerRequestHeaders headers) {
        String title = headers.first(HeaderNames.create("X-OpenRouter-Title"))
                .or(() -> headers.first(HeaderNames.create("X-Title")))
                .orElse(null);
        return Attribution.of(headers.first(HeaderNames.create("HTTP-Referer")).orElse(null), title, null)
                .withSession(headers.first(SESSION))
                .withCategories(headers.first(CATEGORIES).orElse(null));
    }
}
