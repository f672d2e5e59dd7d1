package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import java.util.List;
import java.util.Set;

/**
 * Builds the upstream body for an OpenAI-compatible endpoint from an OpenAI-format body: the client's
 * own (the pass-through lane) or one written from the canonical request ({@link OpenAiRequestWriter}).
 *
 * <p>Rules: the client's fields are forwarded as sent, unknown ones included, and nothing the client
 * did not send is added, with these exceptions. {@code model} becomes the endpoint's upstream model.
 * The gateway's own control fields ({@code provider}, {@code models}, {@code plugins}, ...) are
 * removed, since they are instructions to the gateway. A sampling parameter the endpoint declares it
 * does not support is dropped, as OpenRouter does ({@code stream_options} too, on a request that does
 * not stream). A stream asks for
 * {@code stream_options.include_usage}, without which the provider would not report the usage that
 * the gateway must bill. And the output-token limit goes in the field the provider wants
 * ({@link MaxTokensField}): {@code max_tokens} and {@code max_completion_tokens} are one limit under two
 * names, so the other name is renamed to the configured one; when the client sent both, the configured
 * one's value is kept and the other dropped (OpenAI rejects a body that has both). The copy is shallow:
 * nested values are shared with the client's body and not modified.
 */
final class OpenAiRequests {
    private static final List<String> GATEWAY_FIELDS = List.of(
            "models",
            "route",
            "provider",
            "plugins",
            "transforms",
            "usage",
            "preset",
            "session_id",
            "debug",
            "trace",
            "include_reasoning",
            "reasoning",
            "stop_server_tools_when",
            "x_search_filter");
    /** Parameters that are dropped when an endpoint lists its supported parameters without them. */
    private static final Set<String> DROPPABLE = Set.of(
            "temperature",
            "top_p",
            "top_k",
            "frequency_penalty",
            "presence_penalty",
            "repetition_penalty",
            "min_p",
            "top_a",
            "seed",
            "logit_bias",
            "logprobs",
            "top_logprobs",
            "stop",
            "response_format",
            "tools",
            "tool_choice",
            "parallel_tool_calls",
            "reasoning_effort",
            "verbosity",
            "web_search_options",
            "prediction",
            "service_tier");

    private OpenAiRequests() {}

    /** The body for a provider that takes the token limit in whichever field the client used. */
    static ObjectNode body(ObjectNode source, boolean stream, Endpoint endpoint) {
        return body(source, stream, endpoint, MaxTokensField.AS_SENT);
    }

    /**
     * @param source         an OpenAI-format body; not modified
     * @param stream         whether the request streams
     * @param maxTokensField the provider's {@code max_tokens_field}
     */
    static ObjectNode body(ObjectNode source, boolean stream, Endpoint endpoint, MaxTokensField maxTokensField) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        List<String> supported = endpoint.supportedParameters();
        source.properties().forEach(field -> {
            String name = field.getKey();
            if (GATEWAY_FIELDS.contains(name)) {
                return;
            }
            if (!supported.isEmpty()
                    && DROPPABLE.contains(name)
                    && !supported.contains(name)
                    && !alias(name, supported)) {
                return;
            }
            if (name.equals("stream_options") && !stream) {
                return; // meaningless without a stream, and OpenAI refuses it there
            }
            out.set(name, field.getValue());
        });
        out.put("model", endpoint.upstreamModel());
        switch (maxTokensField) {
            case AS_SENT -> {}
            case MAX_TOKENS -> rename(out, "max_completion_tokens", "max_tokens");
            case MAX_COMPLETION_TOKENS -> rename(out, "max_tokens", "max_completion_tokens");
        }
        if (supported.isEmpty() || supported.contains("reasoning") || supported.contains("reasoning_effort")) {
            carryReasoningEffort(source, out);
        }
        if (stream) {
            ObjectNode options = JsonNodeFactory.instance.objectNode();
            JsonNode clientOptions = source.get("stream_options");
            if (clientOptions instanceof ObjectNode object) {
                options.setAll(object);
            }
            options.put("include_usage", true);
            out.set("stream_options", options);
        }
        return out;
    }

    /** Moves {@code from} to {@code to}; when both are present, {@code to} wins and {@code from} is dropped. */
    private static void rename(ObjectNode out, String from, String to) {
        JsonNode value = out.remove(from);
        if (value != null && !out.has(to)) {
            out.set(to, value);
        }
    }

    /**
     * Parameters that belong to a declared one: {@code tool_choice} and {@code parallel_tool_calls} go
     * wherever {@code tools} are supported, {@code reasoning_effort} (the shorthand for
     * {@code reasoning.effort}) wherever {@code reasoning} is.
     */
    private static boolean alias(String name, List<String> supported) {
        return switch (name) {
            case "tool_choice", "parallel_tool_calls" -> supported.contains("tools");
            case "reasoning_effort" -> supported.contains("reasoning");
            default -> false;
        };
    }

    /** OpenRouter's {@code reasoning.effort} is OpenAI's {@code reasoning_effort}. */
    private static void carryReasoningEffort(ObjectNode source, ObjectNode out) {
        JsonNode effort = source.path("reasoning").path("effort");
        if (effort.isTextual() && !out.has("reasoning_effort")) {
            out.put("reasoning_effort", effort.asText());
        }
    }
}
