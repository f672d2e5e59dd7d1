package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.chat.ChatRequest;

import java.util.List;
import java.util.Set;

/**
 * Builds the upstream body for an OpenAI-compatible endpoint from the client's body.
 *
 * <p>Rules: the client's fields are forwarded as sent, unknown ones included, and nothing the client
 * did not send is added, with three exceptions. {@code model} becomes the endpoint's upstream model.
 * The gateway's own control fields ({@code provider}, {@code models}, {@code plugins}, ...) are
 * removed, since they are instructions to the gateway. A sampling parameter the endpoint declares it
 * does not support is dropped, as OpenRouter does. And a stream asks for
 * {@code stream_options.include_usage}, without which the provider would not report the usage that
 * the gateway must bill. The copy is shallow: nested values are shared with the client's body and not
 * modified.
 */
final class OpenAiRequests {
    private static final List<String> GATEWAY_FIELDS = List.of("models", "route", "provider", "plugins", "transforms",
            "usage", "preset", "session_id", "debug", "trace", "include_reasoning", "reasoning",
            "stop_server_tools_when", "x_search_filter");
    /** Parameters that are dropped when an endpoint lists its supported parameters without them. */
    private static final Set<String> DROPPABLE = Set.of("temperature", "top_p", "top_k", "frequency_penalty",
            "presence_penalty", "repetition_penalty", "min_p", "top_a", "seed", "logit_bias", "logprobs",
            "top_logprobs", "stop", "response_format", "tools", "tool_choice", "parallel_tool_calls",
            "reasoning_effort", "verbosity", "web_search_options", "prediction", "service_tier");

    private OpenAiRequests() {
    }

    static ObjectNode body(ChatRequest request, Endpoint endpoint) {
        ObjectNode source = request.body();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        List<String> supported = endpoint.supportedParameters();
        source.properties().forEach(field -> {
            String name = field.getKey();
            if (GATEWAY_FIELDS.contains(name)) {
                return;
            }
            if (!supported.isEmpty() && DROPPABLE.contains(name) && !supported.contains(name) && !toolAlias(name, supported)) {
                return;
            }
            out.set(name, field.getValue());
        });
        out.put("model", endpoint.upstreamModel());
        if (supported.isEmpty() || supported.contains("reasoning") || supported.contains("reasoning_effort")) {
            carryReasoningEffort(source, out);
        }
        if (request.stream()) {
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

    /** {@code tool_choice} and {@code parallel_tool_calls} go wherever {@code tools} are supported. */
    private static boolean toolAlias(String name, List<String> supported) {
        return (name.equals("tool_choice") || name.equals("parallel_tool_calls")) && supported.contains("tools");
    }

    /** OpenRouter's {@code reasoning.effort} is OpenAI's {@code reasoning_effort}. */
    private static void carryReasoningEffort(ObjectNode source, ObjectNode out) {
        JsonNode effort = source.path("reasoning").path("effort");
        if (effort.isTextual() && !out.has("reasoning_effort")) {
            out.put("reasoning_effort", effort.asText());
        }
    }
}
