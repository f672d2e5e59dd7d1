package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.chat.ChatRequest;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.provider.http.BenchStreams;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.provider.sse.SseReader;

import java.io.InputStream;

/**
 * Benchmark access to the OpenAI codec's package-private parts, so that benchmarks in other packages
 * (the server's relay) run the real decoder. Lives in the bench module; not part of the gateway.
 */
public final class BenchCodecs {
    private BenchCodecs() {
    }

    /**
     * The adapter's stream decoder over {@code body}, read through the same {@code CallControl} bracket as
     * a real upstream body. The response has no HTTP exchange behind it: do not close the stream.
     */
    public static EventStream decoder(InputStream body, ObjectMapper json, CallControl control, String providerName) {
        UpstreamHttp.Response response = new UpstreamHttp.Response(200, null, BenchStreams.controlled(body, control));
        return new OpenAiEventStream(response, json, control, providerName, SseReader.DEFAULT_MAX_EVENT_BYTES);
    }

    /** The upstream request body the adapter would send. */
    public static ObjectNode upstreamBody(ChatRequest request, Endpoint endpoint) {
        return OpenAiRequests.body(request, endpoint);
    }
}
