package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.chat.ChatRequest;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.Completion;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.provider.http.UpstreamHttp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code openai} wire format: any server that speaks OpenAI's {@code POST /chat/completions}
 * (OpenAI itself, Groq, Together, Mistral, DeepSeek, xAI, vLLM, Ollama, OpenRouter, ...).
 * The canonical shapes are OpenAI's, so translation is a field-level rewrite of the body
 * ({@link OpenAiRequests}) and a usage split of the answer.
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
    public Completion complete(Attempt attempt, ChatRequest request, CallControl control) {
        String providerName = attempt.provider().name();
        try (UpstreamHttp.Response response = send(attempt, request, control)) {
            byte[] raw = readBody(response, control, providerName, limits.maxBodyBytes());
            JsonNode body = parse(raw, response.status(), providerName);
            if (!(body instanceof ObjectNode object) || !body.path("choices").isArray()) {
                throw malformed(providerName + " returned a response without choices", raw, response.status(), providerName);
            }
            Optional<dev.switchboard.core.chat.TokenUsage> usage = OpenAiUsage.parse(object.remove("usage"));
            String finish = object.path("choices").path(0).path("finish_reason").textValue();
            return new Completion(object, usage, finish);
        }
    }

    @Override
    public EventStream stream(Attempt attempt, ChatRequest request, CallControl control) {
        UpstreamHttp.Response response = send(attempt, request, control);
        return new OpenAiEventStream(response, json, control, attempt.provider().name(), limits.maxEventBytes());
    }

    /** Sends the request; a non-2xx answer becomes a classified {@link UpstreamException}. */
    private UpstreamHttp.Response send(Attempt attempt, ChatRequest request, CallControl control) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(OpenAiRequests.body(request, attempt.endpoint(), attempt.provider().maxTokensField()));
        } catch (IOException e) {
            throw new IllegalStateException("request body could not be serialised", e);
        }
        String providerName = attempt.provider().name();
        UpstreamHttp.Response response = http.postJson(endpointUri(attempt.provider().baseUrl()),
                headers(attempt, request.stream()), body, control, providerName);
        if (response.status() / 100 != 2) {
            try (response) {
                String raw = UpstreamHttp.readErrorBody(response);
                throw new UpstreamException(UpstreamFailure.ofStatus(response.status()), providerName, response.status(),
                        errorMessage(raw), UpstreamHttp.rawExcerpt(raw).orElse(null), retryAfter(response));
            }
        }
        return response;
    }

    /**
     * The whole body, read before parsing so that a body that is not JSON can still be shown as
     * {@code metadata.raw}, and refused with 502 when it is larger than {@code maxBytes}
     * ({@code upstream.max_body_bytes}), whether its declared length says so or its bytes do. With a
     * {@code Content-Length} (the usual case) it is read into one array of exactly that size:
     * {@code readAllBytes} would allocate a 16 KiB buffer per response, which at load is most of the
     * gateway's garbage. The end of the stream is read too, which is what returns the connection to the
     * pool. A body cut short comes back short and fails to parse.
     */
    private static byte[] readBody(UpstreamHttp.Response response, CallControl control, String providerName, long maxBytes) {
        try {
            InputStream in = response.body();
            long declared = response.raw().headers().contentLength().orElse(-1);
            if (declared > maxBytes) {
                throw tooLarge(providerName, maxBytes, in.readNBytes(UpstreamHttp.MAX_RAW_CHARS), response.status());
            }
            if (declared < 0) {
                byte[] body = in.readNBytes((int) maxBytes + 1);
                if (body.length > maxBytes) {
                    throw tooLarge(providerName, maxBytes, body, response.status());
                }
                return body;
            }
            byte[] body = new byte[(int) declared];
            int read = in.readNBytes(body, 0, body.length);
            // Reading on to the end lets the client see the entity finished and keep the connection
            // pooled; a response closed before its end costs a new connection for the next request.
            if (in.read() >= 0) {
                throw new IOException("body longer than its Content-Length");
            }
            return read == body.length ? body : Arrays.copyOf(body, read);
        } catch (IOException | RuntimeException e) {
            if (e instanceof UpstreamException refused) {
                throw refused;
            }
            throw UpstreamHttp.classify(e, control, providerName);
        }
    }

    private static UpstreamException tooLarge(String providerName, long maxBytes, byte[] head, int status) {
        return new UpstreamException(UpstreamFailure.MALFORMED, providerName, status, null,
                providerName + " sent a response larger than the gateway accepts (" + maxBytes
                        + " bytes; upstream.max_body_bytes)", UpstreamHttp.rawExcerpt(head, head.length).orElse(null), null);
    }

    private JsonNode parse(byte[] raw, int status, String providerName) {
        try {
            return json.readTree(raw);
        } catch (IOException e) {
            throw malformed(providerName + " returned a body that is not JSON", raw, status, providerName);
        }
    }

    private static UpstreamException malformed(String message, byte[] raw, int status, String providerName) {
        // The status was a success; the provider reported no failure code of its own.
        return new UpstreamException(UpstreamFailure.MALFORMED, providerName, status, null, message,
                UpstreamHttp.rawExcerpt(raw, raw.length).orElse(null), null);
    }

    /** The chat-completions URI of a base URL, parsed once per provider rather than per request. */
    private URI endpointUri(URI baseUrl) {
        return endpoints.computeIfAbsent(baseUrl, base -> URI.create(base + "/chat/completions"));
    }

    private static Map<String, String> headers(Attempt attempt, boolean stream) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        String key = attempt.provider().apiKey();
        if (!key.isEmpty()) {
            headers.put("Authorization", "Bearer " + key);
        }
        return headers;
    }

    /** The provider's own error message when its body is OpenAI-shaped, else a generic one. */
    private String errorMessage(String raw) {
        try {
            return OpenAiErrors.message(json.readTree(raw).path("error"));
        } catch (IOException | RuntimeException e) {
            // not JSON: the generic message; the raw body still goes to the client
            return OpenAiErrors.GENERIC_MESSAGE;
        }
    }

    private static Duration retryAfter(UpstreamHttp.Response response) {
        return response.header("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }
}
