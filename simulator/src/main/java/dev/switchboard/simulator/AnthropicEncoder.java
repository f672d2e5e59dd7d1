package dev.switchboard.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an {@link AnthropicAnswer} as a {@code Message} body or as its stream of named events, both in
 * the field order Anthropic uses.
 *
 * <p>The stream: {@code message_start} (usage with the input side and {@code output_tokens: 1}), a
 * {@code ping}, then each block ({@code content_block_start}, its deltas, {@code content_block_stop}):
 * thinking (one {@code thinking_delta} per word, then one {@code signature_delta}), redacted thinking
 * (whole in its start), text (one {@code text_delta} per word), tool uses (an empty
 * {@code input_json_delta} first, as Anthropic sends, then the argument fragments); then
 * {@code message_delta} with the stop reason and the cumulative usage, and {@code message_stop}. Deltas
 * that carry a token are marked, for pacing and mid-stream faults. Stateless.
 */
final class AnthropicEncoder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper ARGUMENTS = new ObjectMapper();

    /** One event: its name, its data, and whether it carries a token. */
    @SuppressWarnings("ArrayRecordComponent") // built once per event and only written; never compared
    record Event(String name, byte[] data, boolean token) {
        byte[] frame() {
            byte[] head = ("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[head.length + data.length + 2];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(data, 0, out, head.length, data.length);
            out[out.length - 2] = '\n';
            out[out.length - 1] = '\n';
            return out;
        }
    }

    private AnthropicEncoder() {}

    static byte[] message(AnthropicAnswer answer) {
        ObjectNode root = head(answer);
        ArrayNode content = root.putArray("content");
        answer.thinking()
                .ifPresent(thinking -> content.addObject()
                        .put("type", "thinking")
                        .put("thinking", thinking)
                        .put("signature", AnthropicThinkingText.signature(thinking)));
        answer.redacted()
                .ifPresent(data ->
                        content.addObject().put("type", "redacted_thinking").put("data", data));
        answer.text()
                .ifPresent(text -> content.addObject()
                        .put("type", "text")
                        .put("text", text.content())
                        .putNull("citations"));
        for (CompletionPlan.ToolCall call : answer.calls()) {
            ObjectNode block = content.addObject()
                    .put("type", "tool_use")
                    .put("id", call.callId())
                    .put("name", call.name());
            block.set("input", json(call.arguments()));
        }
        root.put("stop_reason", answer.stopReason());
        root.putNull("stop_sequence");
        root.putNull("stop_details");
        root.putNull("container");
        root.set("usage", usage(answer.usage(), answer.usage().output()));
        return bytes(root);
    }

    static List<Event> stream(AnthropicAnswer answer) {
        List<Event> events = new ArrayList<>();
        ObjectNode start = NODES.objectNode().put("type", "message_start");
        ObjectNode message = head(answer);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putNull("stop_details");
        message.putNull("container");
        message.set("usage", usage(answer.usage(), 1));
        start.set("message", message);
        events.add(event("message_start", start, false));
        events.add(event("ping", NODES.objectNode().put("type", "ping"), false));
        int index = 0;
        if (answer.thinking().isPresent()) {
            thinking(answer.thinking().get(), index++, events);
        }
        if (answer.redacted().isPresent()) {
            ObjectNode block = NODES.objectNode()
                    .put("type", "redacted_thinking")
                    .put("data", answer.redacted().get());
            events.add(blockStart(index, block));
            events.add(blockStop(index++));
        }
        if (answer.text().isPresent()) {
            text(answer.text().get(), index++, events);
        }
        for (CompletionPlan.ToolCall call : answer.calls()) {
            toolUse(call, index++, events);
        }
        ObjectNode delta = NODES.objectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", answer.stopReason()).putNull("stop_sequence");
        delta.set("usage", deltaUsage(answer.usage()));
        events.add(event("message_delta", delta, false));
        events.add(event("message_stop", NODES.objectNode().put("type", "message_stop"), false));
        return events;
    }

    /** An in-stream error event. */
    static Event error(AnthropicError error, String requestId) {
        return new Event("error", error.toJson(requestId), false);
    }

    private static void thinking(String thinking, int index, List<Event> events) {
        events.add(blockStart(
                index,
                NODES.objectNode().put("type", "thinking").put("thinking", "").put("signature", "")));
        String[] words = thinking.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            ObjectNode delta =
                    NODES.objectNode().put("type", "thinking_delta").put("thinking", (i == 0 ? "" : " ") + words[i]);
            events.add(blockDelta(index, delta, true));
        }
        ObjectNode signature = NODES.objectNode()
                .put("type", "signature_delta")
                .put("signature", AnthropicThinkingText.signature(thinking));
        events.add(blockDelta(index, signature, false));
        events.add(blockStop(index));
    }

    private static void text(CompletionPlan.Text text, int index, List<Event> events) {
        events.add(blockStart(
                index, NODES.objectNode().put("type", "text").put("text", "").putNull("citations")));
        int[] words = text.wordIndexes();
        for (int i = 0; i < words.length; i++) {
            String piece = (i == 0 ? "" : " ") + text.words().word(words[i]);
            events.add(blockDelta(
                    index, NODES.objectNode().put("type", "text_delta").put("text", piece), true));
        }
        events.add(blockStop(index));
    }

    private static void toolUse(CompletionPlan.ToolCall call, int index, List<Event> events) {
        ObjectNode block = NODES.objectNode()
                .put("type", "tool_use")
                .put("id", call.callId())
                .put("name", call.name());
        block.putObject("input");
        events.add(blockStart(index, block));
        events.add(blockDelta(
                index, NODES.objectNode().put("type", "input_json_delta").put("partial_json", ""), false));
        for (String fragment : call.fragments()) {
            events.add(blockDelta(
                    index, NODES.objectNode().put("type", "input_json_delta").put("partial_json", fragment), true));
        }
        events.add(blockStop(index));
    }

    private static Event blockStart(int index, ObjectNode block) {
        ObjectNode event = NODES.objectNode().put("type", "content_block_start").put("index", index);
        event.set("content_block", block);
        return event("content_block_start", event, false);
    }

    private static Event blockDelta(int index, ObjectNode delta, boolean token) {
        ObjectNode event = NODES.objectNode().put("type", "content_block_delta").put("index", index);
        event.set("delta", delta);
        return event("content_block_delta", event, token);
    }

    private static Event blockStop(int index) {
        return event(
                "content_block_stop",
                NODES.objectNode().put("type", "content_block_stop").put("index", index),
                false);
    }

    private static ObjectNode head(AnthropicAnswer answer) {
        return NODES.objectNode()
                .put("id", answer.id())
                .put("type", "message")
                .put("role", "assistant")
                .put("model", answer.model());
    }

    /** A {@code Message}'s usage, every field Anthropic sends (nullable ones as null). */
    private static ObjectNode usage(AnthropicAnswer.Usage usage, long output) {
        ObjectNode node = NODES.objectNode()
                .put("input_tokens", usage.input())
                .put("cache_creation_input_tokens", usage.cacheWrite())
                .put("cache_read_input_tokens", usage.cacheRead());
        node.putObject("cache_creation")
                .put("ephemeral_5m_input_tokens", usage.cacheWrite())
                .put("ephemeral_1h_input_tokens", 0);
        node.put("output_tokens", output);
        node.putNull("server_tool_use");
        node.put("service_tier", "standard");
        node.putNull("inference_geo");
        return node;
    }

    /** A {@code message_delta}'s usage: the cumulative counts. */
    private static ObjectNode deltaUsage(AnthropicAnswer.Usage usage) {
        ObjectNode node = NODES.objectNode()
                .put("input_tokens", usage.input())
                .put("cache_creation_input_tokens", usage.cacheWrite())
                .put("cache_read_input_tokens", usage.cacheRead())
                .put("output_tokens", usage.output());
        node.putNull("server_tool_use");
        return node;
    }

    private static JsonNode json(String arguments) {
        try {
            return ARGUMENTS.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the simulator's own arguments are JSON", e);
        }
    }

    private static Event event(String name, ObjectNode data, boolean token) {
        return new Event(name, bytes(data), token);
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
