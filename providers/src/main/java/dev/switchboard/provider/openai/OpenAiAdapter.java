package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.Credential;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.UpstreamCall;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.WireBody;
import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.CompletionAssembler;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.http.ResponseBodies;
import dev.switchboard.provider.http.UpstreamHttp;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code openai} wire format: any server that speaks OpenAI's {@code POST /chat/completions}
 * (OpenAI itself, Groq, Together, Mistral, DeepSeek, xAI, vLLM, Ollama, OpenRouter, ...).
 *
 * <p>Two lanes. A request that arrived in OpenAI's format keeps its body ({@code request.source()}), and
 * that body is sent with only the edits {@link OpenAiRequests} lists (the pass-through lane, as fast as
 * forwarding gets); any other request is written from the canonical model by {@link OpenAiRequestWriter}
 * and then edited the same way. Answers are decoded into canonical events ({@link OpenAiDecoder}); when
 * the call asks for native relay, the provider's chunks and body go along for the client.
 */
public final class OpenAiAdapter implements ProviderAdapter {
    public static final String KIND = "openai";
    private final UpstreamHttp http;
    private final ObjectMapper json;
    private final GatewayConfig.Upstream limits;
    private final Map<URI, URI> endpoints = new ConcurrentHashMap<>();

    public OpenAiAdapter(UpstreamHttp http, ObjectMapper json, GatewayConfig.Upstream limits) {
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
        return WireFormat.OPENAI_CHAT;
    }

    @Override
    public Completion complete(UpstreamCall call) {
        String providerName = call.attempt().provider().name();
        try (UpstreamHttp.Response response = send(call)) {
            byte[] raw = ResponseBodies.read(response, call.control(), providerName, limits.maxBodyBytes());
            JsonNode body = parse(raw, response.status(), providerName);
            if (!(body instanceof ObjectNode object) || !body.path("choices").isArray()) {
                throw ResponseBodies.malformed(
                        providerName + " returned a response without choices", raw, response.status(), providerName);
            }
            return decode(object, call.relayNative());
        }
    }

    /**
     * Decodes a {@code chat.completion} body: its events, assembled; the body itself goes along (without
     * its usage) when it is to be relayed natively. The body is the caller's and is changed.
     */
    public static Completion decode(ObjectNode body, boolean relayNative) {
        CompletionAssembler assembler = new CompletionAssembler()
                .accept(new StreamEvent.Started(OpenAiJson.text(body, "id"), OpenAiJson.text(body, "model")));
        OpenAiDecoder.choices(body.get("choices"), "message", assembler::accept);
        OpenAiUsage.parse(body.remove("usage"))
                .ifPresent(usage -> assembler.accept(new StreamEvent.UsageReported(usage)));
        Completion completion = assembler.build();
        return relayNative ? completion.withSource(new WireBody(WireFormat.OPENAI_CHAT, body)) : completion;
    }

    @Override
    public EventStream stream(UpstreamCall call) {
        UpstreamHttp.Response response = send(call);
        return new OpenAiEventStream(
                response,
                json,
                call.control(),
                call.attempt().provider().name(),
                limits.maxEventBytes(),
                call.relayNative());
    }

    /** Sends the request; a non-2xx answer becomes a classified {@link UpstreamException}. */
    private UpstreamHttp.Response send(UpstreamCall call) {
        Attempt attempt = call.attempt();
        Connection.OpenAiCompatible connection = connection(attempt);
        byte[] body;
        try {
            body = json.writeValueAsBytes(requestBody(call.request(), attempt.endpoint(), connection.maxTokensField()));
        } catch (IOException e) {
            throw new IllegalStateException("request body could not be serialised", e);
        }
        String providerName = attempt.provider().name();
        UpstreamHttp.Response response = http.postJson(
                endpointUri(connection.baseUrl()),
                connection.httpVersion(),
                headers(
                        call.credential(),
                        call.request().stream(),
                        attempt.provider().identity()),
                body,
                call.control(),
                providerName);
        if (response.status() / 100 != 2) {
            try (response) {
                String raw = UpstreamHttp.readErrorBody(response);
                throw new UpstreamException(
                        UpstreamFailure.ofStatus(response.status()),
                        providerName,
                        response.status(),
                        errorMessage(raw),
                        UpstreamHttp.rawExcerpt(raw).orElse(null),
                        ResponseBodies.retryAfter(response));
            }
        }
        return response;
    }

    /**
     * The body this adapter sends for {@code request} to {@code endpoint}: the pass-through lane's edit of
     * the client's body, or the translating lane's body written from the canonical request.
     */
    public static ObjectNode requestBody(ChatRequest request, Endpoint endpoint, MaxTokensField maxTokensField) {
        return OpenAiRequests.body(openAiBody(request), request.stream(), endpoint, maxTokensField);
    }

    /** The client's own body when it came in OpenAI's format, else one written from the canonical request. */
    private static ObjectNode openAiBody(ChatRequest request) {
        return request.source()
                .flatMap(source -> source.as(WireFormat.OPENAI_CHAT, ObjectNode.class))
                .orElseGet(() -> OpenAiRequestWriter.write(request));
    }

    private static Connection.OpenAiCompatible connection(Attempt attempt) {
        return switch (attempt.provider().connection()) {
            case Connection.OpenAiCompatible openAi -> openAi;
            case Connection.Anthropic ignored ->
                throw new IllegalStateException("an Anthropic provider is never routed to the openai adapter");
        };
    }

    private JsonNode parse(byte[] raw, int status, String providerName) {
        try {
            return json.readTree(raw);
        } catch (IOException e) {
            throw ResponseBodies.malformed(
                    providerName + " returned a body that is not JSON", raw, status, providerName);
        }
    }

    /** The chat-completions URI of a base URL, parsed once per provider rather than per request. */
    private URI endpointUri(URI baseUrl) {
        return endpoints.computeIfAbsent(baseUrl, base -> URI.create(base + "/chat/completions"));
    }

    /** The request's headers: what it accepts, the credential, and how the gateway names itself to the provider. */
    private static Map<String, String> headers(Credential credential, boolean stream, Provider.Identity identity) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        headers.put("User-Agent", identity.userAgent());
        identity.httpReferer().ifPresent(referer -> headers.put("HTTP-Referer", referer));
        identity.title().ifPresent(title -> headers.put("X-Title", title));
        switch (credential) {
            case Credential.ApiKey key -> headers.put("Authorization", "Bearer " + key.secret());
            case Credential.None ignored -> {}
        }
        return headers;
    }

    /** The provider's own error message when its body is OpenAI-shaped, else a generic one. */
    private String errorMessage(String raw) {
        try {
            return OpenAiErrors.message(json.readTree(raw).path("error"));
        } catch (IOException e) {
            // not JSON: the generic message; the raw body still goes to the client
            return OpenAiErrors.GENERIC_MESSAGE;
        }
    }
}
