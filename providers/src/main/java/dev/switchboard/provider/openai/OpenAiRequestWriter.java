package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ReasoningSettings;
import dev.switchboard.model.chat.ResponseFormat;
import dev.switchboard.model.chat.Sampling;
import dev.switchboard.model.chat.Tool;
import dev.switchboard.model.chat.ToolChoice;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Writes a canonical request as an OpenAI chat-completions body: the translating lane, for a request
 * that did not arrive in OpenAI's format. Every modelled field goes where OpenAI has it; the request's
 * extensions become top-level fields (OpenAI-compatible servers take their own parameters there); the
 * limit on output is written as {@code max_tokens}, which {@link OpenAiRequests} renames for providers
 * that want {@code max_completion_tokens}. Stateless.
 */
public final class OpenAiRequestWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenAiRequestWriter() {}

    public static ObjectNode write(ChatRequest request) {
        ObjectNode out = NODES.objectNode();
        out.put("model", request.model());
        out.set("messages", OpenAiMessages.write(request.messages()));
        if (!request.tools().isEmpty()) {
            out.set("tools", tools(request));
        }
        request.toolChoice().ifPresent(choice -> out.set("tool_choice", toolChoice(choice)));
        request.parallelToolCalls().ifPresent(parallel -> out.put("parallel_tool_calls", parallel));
        request.responseFormat().ifPresent(format -> out.set("response_format", responseFormat(format)));
        sampling(request.sampling(), out);
        request.reasoning().flatMap(ReasoningSettings::effort).ifPresent(effort -> out.put("reasoning_effort", effort));
        request.maxTokens().ifPresent(max -> out.put("max_tokens", max));
        if (request.stream()) {
            out.put("stream", true);
        }
        request.attribution().user().ifPresent(user -> out.put("user", user));
        OpenAiJson.putExtensions(out, request.extensions());
        return out;
    }

    private static ArrayNode tools(ChatRequest request) {
        ArrayNode out = NODES.arrayNode(request.tools().size());
        for (Tool tool : request.tools()) {
            switch (tool) {
                case Tool.Function function -> {
                    ObjectNode entry = out.addObject().put("type", "function");
                    ObjectNode body = entry.putObject("function").put("name", function.name());
                    function.description().ifPresent(d -> body.put("description", d));
                    function.parameters().ifPresent(p -> OpenAiJson.putRaw(body, "parameters", p));
                    function.strict().ifPresent(s -> body.put("strict", s));
                    OpenAiJson.putExtensions(body, function.extensions());
                    OpenAiJson.putCacheControl(entry, function.cache());
                }
                case Tool.Other other ->
                    out.addRawValue(new com.fasterxml.jackson.databind.util.RawValue(
                            other.definition().text()));
            }
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode toolChoice(ToolChoice choice) {
        return switch (choice) {
            case ToolChoice.Auto ignored -> NODES.textNode("auto");
            case ToolChoice.None ignored -> NODES.textNode("none");
            case ToolChoice.Required ignored -> NODES.textNode("required");
            case ToolChoice.Named named -> {
                ObjectNode out = NODES.objectNode().put("type", "function");
                out.putObject("function").put("name", named.name());
                yield out;
            }
        };
    }

    private static ObjectNode responseFormat(ResponseFormat format) {
        ObjectNode out = NODES.objectNode();
        switch (format) {
            case ResponseFormat.Text ignored -> out.put("type", "text");
            case ResponseFormat.JsonObject ignored -> out.put("type", "json_object");
            case ResponseFormat.JsonSchema schema -> {
                out.put("type", "json_schema");
                ObjectNode body = out.putObject("json_schema").put("name", schema.name());
                schema.description().ifPresent(d -> body.put("description", d));
                schema.schema().ifPresent(s -> OpenAiJson.putRaw(body, "schema", s));
                schema.strict().ifPresent(s -> body.put("strict", s));
            }
        }
        return out;
    }

    private static void sampling(Sampling sampling, ObjectNode out) {
        putNumber(out, "temperature", sampling.temperature());
        putNumber(out, "top_p", sampling.topP());
        putNumber(out, "top_k", sampling.topK());
        putNumber(out, "frequency_penalty", sampling.frequencyPenalty());
        putNumber(out, "presence_penalty", sampling.presencePenalty());
        putNumber(out, "repetition_penalty", sampling.repetitionPenalty());
        putNumber(out, "min_p", sampling.minP());
        putNumber(out, "top_a", sampling.topA());
        putNumber(out, "seed", sampling.seed());
        if (!sampling.stop().isEmpty()) {
            ArrayNode stop = out.putArray("stop");
            sampling.stop().forEach(stop::add);
        }
        sampling.choices().ifPresent(n -> out.put("n", n));
        sampling.logprobs().ifPresent(l -> out.put("logprobs", l));
        sampling.topLogprobs().ifPresent(t -> out.put("top_logprobs", t));
        sampling.logitBias().ifPresent(bias -> OpenAiJson.putRaw(out, "logit_bias", bias));
    }

    private static void putNumber(ObjectNode out, String field, Optional<BigDecimal> value) {
        value.ifPresent(v -> out.put(field, v));
    }
}
