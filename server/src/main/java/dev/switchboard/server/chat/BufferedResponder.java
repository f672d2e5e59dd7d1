package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.chat.GeneratedText;
import dev.switchboard.core.provider.Completion;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import dev.switchboard.core.upstream.Timeouts;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.server.http.ErrorResponses;
import dev.switchboard.server.http.Json;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;

/**
 * Answers a non-streaming request: one upstream call under the timeout watchdog, the answer shaped
 * into OpenRouter's form with usage and cost, or the classified upstream error with its real status.
 */
final class BufferedResponder {
    private final TimeoutWatchdog watchdog;
    private final Timeouts timeouts;
    private final UsageSettlement settlement;
    private final ErrorResponses errors;
    private final ObjectMapper json;

    BufferedResponder(TimeoutWatchdog watchdog, Timeouts timeouts, UsageSettlement settlement, ErrorResponses errors,
                      ObjectMapper json) {
        this.watchdog = watchdog;
        this.timeouts = timeouts;
        this.settlement = settlement;
        this.errors = errors;
        this.json = json;
    }

    void respond(ChatExchange exchange, ProviderAdapter adapter, ServerResponse res) {
        Completion completion;
        try (TimeoutWatchdog.Watch ignored = watchdog.watch(exchange.control, timeouts)) {
            completion = adapter.complete(exchange.attempt, exchange.request, exchange.control);
        } catch (UpstreamException e) {
            exchange.failed(e);
            errors.send(res, e);
            return;
        }
        ObjectNode body = completion.body();
        exchange.upstreamId = body.path("id").asText("");
        exchange.nativeFinishReason = completion.nativeFinishReason();
        exchange.finishReason = dev.switchboard.core.chat.FinishReason.normalise(completion.nativeFinishReason());
        GeneratedText generated = new GeneratedText();
        generated.append(body.path("choices").path(0).path("message").path("content").asText(""));
        settlement.settle(exchange, completion.usage(), generated);
        new ResponseShaper(exchange.generationId, exchange.attempt.model().id(), exchange.attempt.provider().name(),
                exchange.createdEpochSeconds())
                .shapeCompletion(body, exchange.usage, exchange.cost);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }
}
