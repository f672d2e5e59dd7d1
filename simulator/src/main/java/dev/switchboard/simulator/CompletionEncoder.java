package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.simulator.CompletionPlan.Text;
import dev.switchboard.simulator.CompletionPlan.ToolCall;
import dev.switchboard.simulator.CompletionPlan.Usage;
import java.nio.charset.StandardCharsets;

/** Renders a plan as a non-streaming {@code chat.completion} body, field order as OpenAI's. */
final class CompletionEncoder {

    static final String SYSTEM_FINGERPRINT = "fp_simulator";

    private CompletionEncoder() {}

    static byte[] completion(CompletionPlan plan) {
        ObjectNode root = header(plan, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        switch (plan.output()) {
            case Text text -> message.put("content", text.content());
            case ToolCall call -> {
                message.putNull("content");
                toolCall(message.putArray("tool_calls").addObject(), call, call.arguments());
            }
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", plan.finishReason().wireName());
        root.set("usage", usage(plan.usage()));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The fields every completion and chunk opens with. */
    static ObjectNode header(CompletionPlan plan, String object) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("id", plan.id());
        root.put("object", object);
        root.put("created", plan.created());
        root.put("model", plan.model());
        root.put("system_fingerprint", SYSTEM_FINGERPRINT);
        return root;
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }

    /**
     * Fills {@code {…,"id":…,"type":"function","function":{"name":…,"arguments":…}}}; a streamed
     * call puts its {@code index} first, so the caller supplies the (possibly started) object.
     */
    static ObjectNode toolCall(ObjectNode node, ToolCall call, String arguments) {
        node.put("id", call.callId());
        node.put("type", "function");
        ObjectNode function = node.putObject("function");
        function.put("name", call.name());
        function.put("arguments", arguments);
        return node;
    }
}
