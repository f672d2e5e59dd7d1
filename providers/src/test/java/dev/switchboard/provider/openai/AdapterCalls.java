package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.provider.CredentialResolver;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.UpstreamCall;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.response.StreamEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;

/** Attempts and requests for adapter tests: provider {@code sim} ("Sim Cloud") serving model {@code acme/chat}. */
final class AdapterCalls {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROVIDER_NAME = "Sim Cloud";

    private AdapterCalls() {}

    /** A request as a client of OpenAI's API sends it, read into the canonical form (its body kept). */
    static ChatRequest request(String body) {
        try {
            return OpenAiChatRequests.read(JSON.readTree(body), Attribution.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-message request, streaming or not, with extra top-level fields (say {@code "simulator":{...}}) when given. */
    static ChatRequest chat(boolean stream, String extraFields) {
        return request("{\"model\":\"acme/chat\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + (extraFields.isEmpty() ? "" : "," + extraFields) + "}");
    }

    static Attempt attempt(URI baseUrl, String upstreamModel) {
        return attempt(provider(baseUrl, "sk-sim-test"), upstreamModel);
    }

    static Attempt attempt(Provider provider, String upstreamModel) {
        Endpoint endpoint = new Endpoint(
                provider.slug(), upstreamModel, Pricing.of("0.000001", "0.000002"), 32768, 0, "unknown", List.of());
        Model model = new Model(
                "acme/chat",
                "Acme Chat",
                0,
                "",
                32768,
                List.of("text"),
                List.of("text"),
                "Other",
                null,
                List.of(),
                List.of(endpoint));
        return new Attempt(model, endpoint, provider);
    }

    static Provider provider(URI baseUrl, String apiKey) {
        return Provider.openAi("sim", PROVIDER_NAME, baseUrl, apiKey, MaxTokensField.AS_SENT);
    }

    /** A call of this request on this attempt, with the provider's configured key, relayed natively or not. */
    static UpstreamCall call(Attempt attempt, ChatRequest request, CallControl control, boolean relayNative) {
        return new UpstreamCall(
                attempt, request, CredentialResolver.CONFIGURED.resolve(attempt, null), control, relayNative);
    }

    static UpstreamCall call(Attempt attempt, ChatRequest request, CallControl control) {
        return call(attempt, request, control, false);
    }

    /** Every event up to the end (exclusive) into {@code into}, which is returned; throws what the stream throws. */
    static List<StreamEvent> drain(EventStream stream, List<StreamEvent> into) {
        for (int i = 0; i < 100_000; i++) {
            StreamEvent event = stream.next();
            if (event instanceof StreamEvent.End) {
                return into;
            }
            into.add(event);
        }
        throw new AssertionError("stream did not end");
    }
}
