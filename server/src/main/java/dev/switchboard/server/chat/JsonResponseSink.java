package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.Settlement;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.pipeline.ResponseSink;
import dev.switchboard.core.pipeline.RouterMetadata;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.openai.OpenAiAnswerWriter;
import dev.switchboard.server.http.ErrorResponses;
import dev.switchboard.server.http.Json;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A non-streamed chat completion: one {@code chat.completion} body in OpenRouter's shape, or the error
 * with its status. The body is the provider's own when it speaks OpenAI's format (edited by
 * {@link ResponseShaper}), else written from the canonical completion ({@link OpenAiAnswerWriter}).
 */
final class JsonResponseSink implements ResponseSink {
    private final ServerResponse res;
    private final ErrorResponses errors;
    private final ObjectMapper json;
    private final String generationId;
    private final long created;
    private final boolean wantsMetadata;
    private @Nullable ResponseShaper shaper;
    private @Nullable ObjectNode metadata;

    /** @param wantsMetadata whether the client asked for {@code openrouter_metadata} */
    JsonResponseSink(
            ServerResponse res,
            ErrorResponses errors,
            ObjectMapper json,
            String generationId,
            long created,
            boolean wantsMetadata) {
        this.res = res;
        this.errors = errors;
        this.json = json;
        this.generationId = generationId;
        this.created = created;
        this.wantsMetadata = wantsMetadata;
    }

    @Override
    public boolean wantsMetadata() {
        return wantsMetadata;
    }

    @Override
    public void metadata(RouterMetadata routing) {
        metadata = RouterMetadataJson.render(routing);
    }

    @Override
    public WireFormat wireFormat() {
        return WireFormat.OPENAI_CHAT;
    }

    @Override
    public void open(Runnable clientGone) {
        // nothing to send while waiting: the status line goes with the body
    }

    @Override
    public void commit(Attempt attempt, boolean relayNative) {
        shaper = new ResponseShaper(
                generationId, attempt.model().id(), attempt.provider().name(), created);
    }

    @Override
    public void event(StreamEvent event) {
        throw new IllegalStateException("a whole response gets a completion, not events");
    }

    @Override
    public void finish(Settlement settlement) {
        throw new IllegalStateException("a whole response gets a completion, not events");
    }

    @Override
    public void complete(Completion completion, Settlement settlement) {
        ObjectNode body = completion
                .source()
                .flatMap(source -> source.as(WireFormat.OPENAI_CHAT, ObjectNode.class))
                .orElseGet(() -> OpenAiAnswerWriter.completion(completion));
        if (shaper == null) {
            throw new IllegalStateException("a completion before the response was committed");
        }
        shaper.shapeCompletion(body, settlement.usage(), settlement.cost());
        if (metadata != null) {
            body.set("openrouter_metadata", metadata);
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }

    @Override
    public void fail(GatewayException error) {
        errors.send(res, error, Optional.ofNullable(metadata));
    }
}
