package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.provider.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Canonical events from a Messages stream: Anthropic's event state machine.
 *
 * <p>Design note. Every event's {@code data} names its own {@code type}, so the SSE {@code event:} line is
 * not needed. {@code message_start} gives {@link StreamEvent.Started}, an empty text delta (the opening of
 * the assistant's turn, as OpenAI's role chunk is) and the input side of the usage.
 * Each content block is tracked by its {@code index} from {@code content_block_start} to
 * {@code content_block_stop}: a text block's {@code text_delta}s are text; a thinking block's
 * {@code thinking_delta}s are reasoning text and its {@code signature_delta} the signature that completes
 * it; a redacted-thinking block is one encrypted piece; a {@code tool_use} block is a tool call numbered
 * by its position among the answer's calls (not the block index, which counts text and thinking too),
 * its id and name on the first piece and each {@code input_json_delta} a piece of the arguments, and a
 * call whose arguments never came gets {@code {}} at its block's stop, so that the arguments always parse.
 * {@code message_delta} carries the stop reason and cumulative usage; the finish and the usage are yielded
 * once, at {@code message_stop} (or at the end of a stream that had its stop reason but lost its last
 * event). {@code ping} is ignored; an {@code error} event is the provider's in-band failure, classified
 * by {@link AnthropicErrors}; a stream that ends before any stop reason broke. Unknown events and blocks
 * are skipped, as Anthropic asks of clients.
 *
 * <p>Used by one thread at a time.
 */
public final class AnthropicEventStream implements EventStream {
    private final AutoCloseable response;
    private final SseReader reader;
    private final ObjectMapper json;
    private final CallControl control;
    private final String providerName;
    private final boolean showReasoning;
    private final boolean relayNative;
    private final ArrayDeque<StreamEvent> pending = new ArrayDeque<>(4);
    /** Open blocks by index. */
    private final Map<Integer, Block> blocks = new HashMap<>();

    private int nextToolIndex;
    private AnthropicUsage usage = AnthropicUsage.NONE;
    private Optional<String> stopReason = Optional.empty();
    private boolean started;
    private boolean finished;
    private boolean ended;

    /** A block between its start and stop: its type, and for a tool-use block the call's number and whether arguments came. */
    private static final class Block {
        final String type;
        final int toolIndex;
        boolean argumentsSeen;

        Block(String type, int toolIndex) {
            this.type = type;
            this.toolIndex = toolIndex;
        }
    }

    AnthropicEventStream(
            UpstreamHttp.Response response,
            ObjectMapper json,
            CallControl control,
            String providerName,
            int maxEventBytes,
            boolean showReasoning,
            boolean relayNative) {
        this(response.body(), response, json, control, providerName, maxEventBytes, showReasoning, relayNative);
    }

    private AnthropicEventStream(
            InputStream body,
            AutoCloseable response,
            ObjectMapper json,
            CallControl control,
            String providerName,
            int maxEventBytes,
            boolean showReasoning,
            boolean relayNative) {
        this.response = response;
        this.reader = new SseReader(body, maxEventBytes);
        this.json = json;
        this.control = control;
        this.providerName = providerName;
        this.showReasoning = showReasoning;
        this.relayNative = relayNative;
    }

    /** The events of a Messages SSE body that is not a response of the gateway's client (a benchmark's bytes). */
    public static AnthropicEventStream decoding(
            InputStream body, ObjectMapper json, CallControl control, String providerName, int maxEventBytes) {
        return new AnthropicEventStream(
                UpstreamHttp.controlled(body, control), body, json, control, providerName, maxEventBytes, true, false);
    }

    @Override
    public StreamEvent next() {
        while (pending.isEmpty()) {
            if (ended) {
                return StreamEvent.END;
            }
            readEvent();
        }
        return pending.poll();
    }

    private void readEvent() {
        SseReader.Payload payload;
        try {
            payload = reader.next();
        } catch (SseReader.EventTooLargeException e) {
            throw malformed(
                    providerName + " sent a stream event larger than the gateway accepts (" + e.limit()
                            + " bytes; upstream.max_event_bytes)",
                    UpstreamHttp.rawExcerpt(e.head(), e.head().length).orElse(null));
        } catch (IOException | CallControl.AbortedException e) {
            throw UpstreamHttp.classify(e, control, providerName);
        }
        if (payload == null) {
            if (stopReason.isEmpty() && !finished) {
                throw malformed("The stream from " + providerName + " ended before the generation finished", null);
            }
            finish();
            ended = true;
            return;
        }
        JsonNode event;
        try {
            event = json.readTree(payload.bytes(), 0, payload.length());
        } catch (IOException e) {
            throw malformed(providerName + " sent an event that is not JSON", raw(payload));
        }
        if (!(event instanceof ObjectNode object)) {
            throw malformed(providerName + " sent an event that is not a JSON object", raw(payload));
        }
        accept(object, payload);
        if (relayNative && !object.path("type").asText().equals("ping")) {
            pending.add(new StreamEvent.Native(AnthropicAdapter.WIRE_FORMAT, object));
        }
    }

    private void accept(ObjectNode event, SseReader.Payload payload) {
        switch (event.path("type").asText("")) {
            case "message_start" -> {
                JsonNode message = event.path("message");
                if (!started) {
                    started = true;
                    pending.add(new StreamEvent.Started(
                            AnthropicDecoder.text(message, "id"), AnthropicDecoder.text(message, "model")));
                    // the assistant's turn opens, as OpenAI's role chunk opens it: no content yet
                    pending.add(new StreamEvent.TextDelta(0, ""));
                }
                usage = AnthropicUsage.merge(usage, message.get("usage"));
            }
            case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
            case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
            case "content_block_stop" -> blockStop(event.path("index").asInt());
            case "message_delta" -> {
                stopReason = AnthropicDecoder.text(event.path("delta"), "stop_reason")
                        .or(() -> stopReason);
                usage = AnthropicUsage.merge(usage, event.get("usage"));
            }
            case "message_stop" -> {
                finish();
                ended = true;
            }
            case "error" -> throw AnthropicErrors.inBand(event, providerName, raw(payload));
            default -> {
                // ping, and event types newer than this adapter
            }
        }
    }

    private void blockStart(int index, JsonNode block) {
        String type = block.path("type").asText("");
        switch (type) {
            case "text" -> text(block.path("text").asText(""));
            case "thinking", "redacted_thinking" ->
                AnthropicDecoder.startedReasoning(block).ifPresent(this::reasoning);
            case "tool_use" -> {
                int toolIndex = nextToolIndex++;
                blocks.put(index, new Block(type, toolIndex));
                pending.add(new StreamEvent.ToolCallDelta(
                        0, toolIndex, AnthropicDecoder.text(block, "id"), AnthropicDecoder.text(block, "name"), ""));
                return;
            }
            default -> {
                // server-tool blocks: no canonical place
            }
        }
        blocks.put(index, new Block(type, -1));
    }

    private void blockDelta(int index, JsonNode delta) {
        Block block = blocks.get(index);
        if (block == null) {
            return;
        }
        switch (delta.path("type").asText("")) {
            case "text_delta" -> text(delta.path("text").asText(""));
            case "thinking_delta" ->
                reasoning(AnthropicDecoder.reasoning(
                        ContentPart.Reasoning.Kind.TEXT, delta.path("thinking").asText(""), Optional.empty()));
            case "signature_delta" ->
                reasoning(AnthropicDecoder.reasoning(
                        ContentPart.Reasoning.Kind.TEXT, "", AnthropicDecoder.text(delta, "signature")));
            case "input_json_delta" -> {
                String fragment = delta.path("partial_json").asText("");
                if (block.type.equals("tool_use") && !fragment.isEmpty()) {
                    block.argumentsSeen = true;
                    pending.add(new StreamEvent.ToolCallDelta(
                            0, block.toolIndex, Optional.empty(), Optional.empty(), fragment));
                }
            }
            default -> {
                // citations and newer delta types: no canonical place
            }
        }
    }

    private void blockStop(int index) {
        Block block = blocks.remove(index);
        if (block != null && block.type.equals("tool_use") && !block.argumentsSeen) {
            pending.add(new StreamEvent.ToolCallDelta(0, block.toolIndex, Optional.empty(), Optional.empty(), "{}"));
        }
    }

    private void text(String text) {
        if (!text.isEmpty()) {
            pending.add(new StreamEvent.TextDelta(0, text));
        }
    }

    private void reasoning(ContentPart.Reasoning piece) {
        if (showReasoning) {
            pending.add(new StreamEvent.ReasoningDelta(0, piece));
        }
    }

    /** The finish and the usage, once. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        pending.add(AnthropicDecoder.finished(stopReason));
        pending.add(new StreamEvent.UsageReported(usage.canonical()));
    }

    private static @Nullable String raw(SseReader.Payload payload) {
        return UpstreamHttp.rawExcerpt(payload.bytes(), payload.length()).orElse(null);
    }

    private UpstreamException malformed(String message, @Nullable String raw) {
        return new UpstreamException(UpstreamFailure.MALFORMED, providerName, 0, message, raw, null);
    }

    @Override
    public void close() {
        try {
            response.close();
        } catch (Exception e) {
            // closing abandons the upstream connection; there is nothing left to do with it
        }
    }
}
