package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.RawJson;
import dev.switchboard.model.chat.ResponseFormat;
import dev.switchboard.model.chat.Sampling;
import dev.switchboard.model.chat.Tool;
import dev.switchboard.model.chat.ToolChoice;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the body of {@code POST /v1/messages} from a canonical request.
 *
 * <p>Rules (docs/ARCHITECTURE.md, "The Anthropic adapter", says why): {@code model} is the endpoint's
 * upstream model; {@code max_tokens} is always set, from the request, else the endpoint's output cap,
 * else {@value #DEFAULT_MAX_TOKENS}; messages as {@link AnthropicMessages} writes them; tools with their
 * schema as {@code input_schema}; {@code tool_choice} auto/any/tool/none with {@code parallel_tool_calls:
 * false} as {@code disable_parallel_tool_use}; {@code stop} as {@code stop_sequences} (whitespace-only
 * ones dropped, which Anthropic rejects); {@code temperature} capped at 1 and, when {@code top_p} is also
 * given, sent alone (recent models refuse both); {@code reasoning} as {@code thinking}
 * ({@link AnthropicThinking}), which also drops what thinking forbids; a JSON-schema response format as
 * {@code output_config.format}; the end user ({@code user}) as {@code metadata.user_id}. Of the client's
 * other top-level fields, those that are OpenAI's or the
 * gateway's are left out and the rest sent on (top-level {@code cache_control} among them). A request
 * for several choices is refused: Anthropic answers one. Stateless.
 */
final class AnthropicRequestWriter {
    /** The output limit sent when neither the request nor the endpoint gives one. */
    static final long DEFAULT_MAX_TOKENS = 4096;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigDecimal ONE = BigDecimal.ONE;
    /** Top-level fields of OpenAI's format or the gateway's own that Anthropic does not accept. */
    private static final Set<String> NOT_ANTHROPIC = Set.of(
            "stream_options",
            "metadata",
            "store",
            "service_tier",
            "prediction",
            "audio",
            "modalities",
            "verbosity",
            "web_search_options",
            "usage",
            "debug",
            "trace",
            "plugins",
            "transforms",
            "preset",
            "include_reasoning",
            "safety_identifier",
            "prompt_cache_key",
            "functions",
            "function_call",
            "prompt",
            "max_price",
            "image_config",
            "stop_server_tools_when",
            "x_search_filter");

    private AnthropicRequestWriter() {}

    static ObjectNode write(ChatRequest request, Endpoint endpoint) {
        if (request.sampling().choices().orElse(1) > 1) {
            throw GatewayException.invalidRequest("Anthropic models return one choice; n must be 1");
        }
        ObjectNode body = NODES.objectNode().put("model", endpoint.upstreamModel());
        Optional<AnthropicThinking> thinking = AnthropicThinking.of(request, endpoint);
        body.put(
                "max_tokens", thinking.map(AnthropicThinking::maxTokens).orElseGet(() -> maxTokens(request, endpoint)));
        AnthropicMessages.system(request.messages()).ifPresent(system -> body.set("system", system));
        body.set("messages", AnthropicMessages.turns(request.messages()));
        tools(request, body);
        sampling(request.sampling(), thinking.isPresent(), body);
        thinking.ifPresent(t -> t.write(body));
        request.responseFormat().ifPresent(format -> responseFormat(format, body));
        request.attribution()
                .user()
                .ifPresent(user -> body.putObject("metadata").put("user_id", user));
        if (request.stream()) {
            body.put("stream", true);
        }
        request.extensions().fields().forEach((name, value) -> {
            if (!NOT_ANTHROPIC.contains(name) && !body.has(name)) {
                body.putRawValue(name, new RawValue(value.text()));
            }
        });
        return body;
    }

    /** The output limit: the request's, else the endpoint's cap, else the default. */
    static long maxTokens(ChatRequest request, Endpoint endpoint) {
        if (request.maxTokens().isPresent()) {
            return request.maxTokens().getAsLong();
        }
        return endpoint.maxCompletion().orElse(DEFAULT_MAX_TOKENS);
    }

    private static void tools(ChatRequest request, ObjectNode body) {
        if (request.tools().isEmpty()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (Tool tool : request.tools()) {
            switch (tool) {
                case Tool.Function function -> tools.add(function(function));
                case Tool.Other other ->
                    tools.addRawValue(new RawValue(other.definition().text()));
            }
        }
        boolean serial =
                request.parallelToolCalls().filter(parallel -> !parallel).isPresent();
        Optional<ToolChoice> choice =
                request.toolChoice().or(() -> serial ? Optional.of(ToolChoice.AUTO) : Optional.<ToolChoice>empty());
        choice.ifPresent(c -> {
            ObjectNode out = body.putObject("tool_choice");
            switch (c) {
                case ToolChoice.Auto ignored -> out.put("type", "auto");
                case ToolChoice.Required ignored -> out.put("type", "any");
                case ToolChoice.Named named -> out.put("type", "tool").put("name", named.name());
                case ToolChoice.None ignored -> out.put("type", "none");
            }
            if (serial && !(c instanceof ToolChoice.None)) {
                out.put("disable_parallel_tool_use", true);
            }
        });
    }

    private static ObjectNode function(Tool.Function function) {
        ObjectNode out = NODES.objectNode().put("name", function.name());
        function.description().ifPresent(description -> out.put("description", description));
        Optional<RawJson> schema = function.parameters();
        if (schema.isPresent()) {
            out.putRawValue("input_schema", new RawValue(schema.get().text()));
        } else {
            out.putObject("input_schema").put("type", "object").putObject("properties");
        }
        function.strict().ifPresent(strict -> out.put("strict", strict));
        AnthropicMessages.putCacheControl(out, function.cache());
        return out;
    }

    /** Temperature (at most 1), top-p unless a temperature is given, top-k, and the stop sequences. */
    private static void sampling(Sampling sampling, boolean thinking, ObjectNode body) {
        if (!thinking) {
            sampling.temperature().ifPresent(t -> body.put("temperature", t.min(ONE)));
            sampling.topK().ifPresent(k -> body.put("top_k", k));
        }
        if (sampling.topP().isPresent() && (thinking || sampling.temperature().isEmpty())) {
            BigDecimal topP = sampling.topP().get();
            if (!thinking || topP.compareTo(AnthropicThinking.MIN_TOP_P) >= 0) {
                body.put("top_p", topP);
            }
        }
        ArrayNode stops = NODES.arrayNode();
        sampling.stop().stream().filter(stop -> !stop.isBlank()).forEach(stops::add);
        if (!stops.isEmpty()) {
            body.set("stop_sequences", stops);
        }
    }

    /** A JSON schema as {@code output_config.format}; JSON mode and plain text have no switch in Anthropic's API. */
    private static void responseFormat(ResponseFormat format, ObjectNode body) {
        if (format instanceof ResponseFormat.JsonSchema schema
                && schema.schema().isPresent()) {
            ObjectNode config = body.has("output_config")
                    ? (ObjectNode) body.get("output_config")
                    : body.putObject("output_config");
            config.putObject("format")
                    .put("type", "json_schema")
                    .putRawValue("schema", new RawValue(schema.schema().get().text()));
        }
    }
}
