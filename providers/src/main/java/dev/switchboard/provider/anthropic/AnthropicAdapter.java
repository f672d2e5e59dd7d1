package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.Credential;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.UpstreamCall;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ReasoningSettings;
import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.Completion;
import dev.switchboard.provider.http.ResponseBodies;
import dev.switchboard.provider.http.UpstreamHttp;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code anthropic} wire format: Anthropic's Messages API, {@code POST /v1/messages}.
 *
 * <p>Every request is written from the canonical model ({@link AnthropicRequestWriter}); answers are
 * decoded into canonical events, whole ({@link AnthropicDecoder}) or streamed ({@link
 * AnthropicEventStream}); errors are classified by {@link AnthropicErrors}. The key goes in
 * {@code x-api-key}, with {@code anthropic-version: 2023-06-01}. Thread-safe.
 */
public final class AnthropicAdapter implements ProviderAdapter {
    public static final String KIND = "anthropic";
    /** Anthropic's Messages format, for relaying its own events and bodies to a client of the same format. */
    public static final WireFormat WIRE_FORMAT = new WireFormat("anthropic.messages");
    /** The API version every request names; still the only one. */
    static final String API_VERSION = "2023-06-01";

    private final UpstreamHttp http;
    private final ObjectMapper json;
    private final GatewayConfig.Upstream limits;
    private final Map<URI, URI> endpoints = new ConcurrentHashMap<>();

    public AnthropicAdapter(UpstreamHttp http, ObjectMapper json, GatewayConfig.Upstream limits) {
        this.http = http;
        this.json = json;
        this.limits = limits;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public WireFormat wireFormat() {
        return WIRE_FORMAT;
    }

    @Override
    public Completion complete(UpstreamCall call) {
        String providerName = call.attempt().provider().name();
        try (UpstreamHttp.Response response = send(call)) {
            byte[] raw = ResponseBodies.read(response, call.control(), providerName, limits.maxBodyBytes());
            JsonNode body;
            try {
                body = json.readTree(raw);
            } catch (IOException e) {
                throw ResponseBodies.malformed(
                        providerName + " returned a body that is not JSON", raw, response.status(), providerName);
            }
            if (!(body instanceof ObjectNode message) || !body.path("content").isArray()) {
                throw ResponseBodies.malformed(
                        providerName + " returned a response without content", raw, response.status(), providerName);
            }
            return AnthropicDecoder.decode(message, showReasoning(call.request()), call.relayNative());
        }
    }

    @Override
    public EventStream stream(UpstreamCall call) {
        UpstreamHttp.Response response = send(call);
        return new AnthropicEventStream(
                response,
                json,
                call.control(),
                call.attempt().provider().name(),
                limits.maxEventBytes(),
                showReasoning(call.request()),
                call.relayNative());
    }

    /** The body this adapter sends for {@code request} to {@code endpoint}. */
    public static ObjectNode requestBody(ChatRequest request, Endpoint endpoint) {
        return AnthropicRequestWriter.write(request, endpoint);
    }

    /** Sends the request; a non-2xx answer becomes a classified {@link UpstreamException}. */
    private UpstreamHttp.Response send(UpstreamCall call) {
        Attempt attempt = call.attempt();
        byte[] body;
        try {
            body = json.writeValueAsBytes(requestBody(call.request(), attempt.endpoint()));
        } catch (IOException e) {
            throw new IllegalStateException("request body could not be serialised", e);
        }
        String providerName = attempt.provider().name();
        UpstreamHttp.Response response = http.postJson(
                endpointUri(connection(attempt).baseUrl()),
                headers(call.credential(), call.request(), attempt.provider().identity()),
                body,
                call.control(),
                providerName);
        if (response.status() / 100 != 2) {
            try (response) {
                String raw = UpstreamHttp.readErrorBody(response);
                throw AnthropicErrors.ofStatus(
                        response.status(),
                        errorBody(raw),
                        providerName,
                        UpstreamHttp.rawExcerpt(raw).orElse(null),
                        ResponseBodies.retryAfter(response));
            }
        }
        return response;
    }

    private static Connection.Anthropic connection(Attempt attempt) {
        return switch (attempt.provider().connection()) {
            case Connection.Anthropic anthropic -> anthropic;
            case Connection.OpenAiCompatible ignored ->
                throw new IllegalStateException(
                        "an OpenAI-compatible provider is never routed to the anthropic adapter");
        };
    }

    /**
     * The Messages URI of a base URL, parsed once per provider: {@code <base>/v1/messages}, or
     * {@code <base>/messages} for a base URL that already ends in {@code /v1} (as the OpenAI-compatible
     * endpoint's does, so that a provider switched to this kind keeps working).
     */
    private URI endpointUri(URI baseUrl) {
        return endpoints.computeIfAbsent(
                baseUrl, base -> URI.create(base + (base.getPath().endsWith("/v1") ? "/messages" : "/v1/messages")));
    }

    /**
     * The request's headers: what it accepts, the API version, the beta features the client asked for,
     * the credential, and how the gateway names itself.
     */
    private static Map<String, String> headers(Credential credential, ChatRequest request, Provider.Identity identity) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("anthropic-version", API_VERSION);
        if (!request.betaFeatures().isEmpty()) {
            headers.put("anthropic-beta", String.join(",", request.betaFeatures()));
        }
        headers.put("User-Agent", identity.userAgent());
        identity.httpReferer().ifPresent(referer -> headers.put("HTTP-Referer", referer));
        identity.title().ifPresent(title -> headers.put("X-Title", title));
        switch (credential) {
            case Credential.ApiKey key -> headers.put("x-api-key", key.secret());
            case Credential.None ignored -> {}
        }
        return headers;
    }

    /** Reasoning is shown unless the client asked to think without seeing it ({@code reasoning.exclude}). */
    private static boolean showReasoning(ChatRequest request) {
        return !request.reasoning().map(ReasoningSettings::exclude).orElse(false);
    }

    /** The error body as JSON; an empty object when it is not JSON (the raw text still goes to the client). */
    private JsonNode errorBody(String raw) {
        try {
            JsonNode body = json.readTree(raw);
            return body == null ? json.createObjectNode() : body;
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
