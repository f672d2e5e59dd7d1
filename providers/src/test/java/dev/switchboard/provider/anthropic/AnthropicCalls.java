package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Endpoint;
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
import dev.switchboard.provider.openai.OpenAiChatRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Attempts and requests for Anthropic adapter tests: provider {@code anth} ("Sim Anthropic") serving {@code acme/claude}. */
final class AnthropicCalls {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROVIDER_NAME = "Sim Anthropic";
    static final String KEY = "sk-ant-sim-test";

    private AnthropicCalls() {}

    /** A request as a client of the gateway's OpenAI-format API sends it, read into the canonical form. */
    static ChatRequest request(String body) {
        return OpenAiChatRequests.read(json(body), Attribution.NONE);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Provider provider(URI baseUrl, String apiKey) {
        return new Provider(
                "anth",
                PROVIDER_NAME,
                AnthropicAdapter.KIND,
                new Connection.Anthropic(baseUrl, apiKey),
                Optional.empty(),
                Provider.Links.none());
    }

    /** An endpoint for {@code upstreamModel} with output cap {@code maxCompletion} (0: none). */
    static Endpoint endpoint(String upstreamModel, long maxCompletion) {
        return new Endpoint(
                "anth",
                upstreamModel,
                Pricing.of("0.000003", "0.000015"),
                200_000,
                maxCompletion,
                "unknown",
                List.of());
    }

    static Attempt attempt(URI baseUrl, String upstreamModel) {
        return attempt(provider(baseUrl, KEY), endpoint(upstreamModel, 0));
    }

    static Attempt attempt(Provider provider, Endpoint endpoint) {
        Model model = new Model(
                "acme/claude",
                "Acme Claude",
                0,
                "",
                200_000,
                List.of("text", "image", "file"),
                List.of("text"),
                "Claude",
                null,
                List.of(),
                List.of(endpoint));
        return new Attempt(model, endpoint, provider);
    }

    static UpstreamCall call(Attempt attempt, ChatRequest request) {
        return new UpstreamCall(
                attempt, request, CredentialResolver.CONFIGURED.resolve(attempt, null), CallControl.start(), false);
    }

    /** Every event up to the end (exclusive); throws what the stream throws. */
    static List<StreamEvent> drain(EventStream stream) {
        List<StreamEvent> events = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            StreamEvent event = stream.next();
            if (event instanceof StreamEvent.End) {
                return events;
            }
            events.add(event);
        }
        throw new AssertionError("stream did not end");
    }
}
