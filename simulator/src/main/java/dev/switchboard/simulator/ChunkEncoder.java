package dev.switchboard.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.simulator.CompletionPlan.Text;
import dev.switchboard.simulator.CompletionPlan.ToolCall;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Renders one plan as {@code chat.completion.chunk} objects, byte for byte as OpenAI does:
 * {@code {"id","object","created","model","system_fingerprint","choices":[{"index":0,"delta":…,
 * "logprobs":null,"finish_reason":…}]}}, plus {@code "usage":null} on every chunk when the
 * request asked for {@code include_usage}, whose final chunk has {@code "choices":[]}.
 *
 * <p>Design: the bytes around {@code delta} are built once per request; a text token chunk is
 * then one array copy of prefix, the word's pre-serialised delta ({@link WordList}) and suffix.
 * One instance per request, not thread-safe.
 */
final class ChunkEncoder {

    private static final byte[] CHOICE_TAIL = ",\"logprobs\":null,\"finish_reason\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TEXT_OPENING =
            "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}".getBytes(StandardCharsets.UTF_8);

    private final CompletionPlan plan;
    private final boolean includeUsage;
    private final byte[] prefix;
    private final byte[] openSuffix;

    ChunkEncoder(CompletionPlan plan, boolean includeUsage) {
        this.plan = plan;
        this.includeUsage = includeUsage;
        this.prefix = ("{\"id\":\"" + quote(plan.id()) + "\",\"object\":\"chat.completion.chunk\",\"created\":"
                        + plan.created() + ",\"model\":\"" + quote(plan.model()) + "\",\"system_fingerprint\":\""
                        + CompletionEncoder.SYSTEM_FINGERPRINT + "\",\"choices\":[{\"index\":0,\"delta\":")
                .getBytes(StandardCharsets.UTF_8);
        this.openSuffix = suffix("null");
    }

    /** The first chunk: the assistant role, and for a tool call its id, type and name. */
    byte[] opening() {
        return switch (plan.output()) {
            case Text text -> chunk(TEXT_OPENING, openSuffix);
            case ToolCall call -> {
                ObjectNode delta = JsonNodeFactory.instance.objectNode();
                delta.put("role", "assistant");
                delta.putNull("content");
                ObjectNode first = delta.putArray("tool_calls").addObject().put("index", 0);
                CompletionEncoder.toolCall(first, call, "");
                yield chunk(delta.toString().getBytes(StandardCharsets.UTF_8), openSuffix);
            }
        };
    }

    /** Token chunk {@code index}, in {@code [0, plan.tokenChunks())}. */
    byte[] token(int index) {
        return switch (plan.output()) {
            case Text text -> chunk(text.words().contentDelta(text.wordIndexes()[index], index == 0), openSuffix);
            case ToolCall call -> {
                ObjectNode delta = JsonNodeFactory.instance.objectNode();
                delta.putArray("tool_calls")
                        .addObject()
                        .put("index", 0)
                        .putObject("function")
                        .put("arguments", call.fragments().get(index));
                yield chunk(delta.toString().getBytes(StandardCharsets.UTF_8), openSuffix);
            }
        };
    }

    /** The chunk with an empty delta and the finish reason. */
    byte[] finish() {
        return chunk(
                "{}".getBytes(StandardCharsets.UTF_8),
                suffix("\"" + plan.finishReason().wireName() + "\""));
    }

    /** The usage chunk; send it only when the request asked for {@code include_usage}. */
    byte[] usage() {
        ObjectNode root = CompletionEncoder.header(plan, "chat.completion.chunk");
        root.putArray("choices");
        root.set("usage", CompletionEncoder.usage(plan.usage()));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] suffix(String finishReason) {
        ByteArrayOutputStream suffix = new ByteArrayOutputStream(64);
        suffix.writeBytes(CHOICE_TAIL);
        suffix.writeBytes(finishReason.getBytes(StandardCharsets.UTF_8));
        suffix.writeBytes((includeUsage ? "}],\"usage\":null}" : "}]}").getBytes(StandardCharsets.UTF_8));
        return suffix.toByteArray();
    }

    private byte[] chunk(byte[] delta, byte[] suffix) {
        byte[] chunk = new byte[prefix.length + delta.length + suffix.length];
        System.arraycopy(prefix, 0, chunk, 0, prefix.length);
        System.arraycopy(delta, 0, chunk, prefix.length, delta.length);
        System.arraycopy(suffix, 0, chunk, prefix.length + delta.length, suffix.length);
        return chunk;
    }

    private static String quote(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
