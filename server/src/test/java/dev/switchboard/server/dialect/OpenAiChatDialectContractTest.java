package dev.switchboard.server.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.Cost;
import dev.switchboard.core.accounting.CostCalculator;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.openai.OpenAiAnswerWriter;
import dev.switchboard.provider.openai.OpenAiChatRequests;
import dev.switchboard.provider.openai.OpenAiRequestWriter;
import dev.switchboard.server.chat.ChatStreamRenderer;
import dev.switchboard.server.chat.ResponseShaper;
import dev.switchboard.server.chat.SseWriter;
import dev.switchboard.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAI's chat completions, as OpenRouter speaks it, passes the dialect contract: bodies through
 * {@link OpenAiChatRequests} and {@link OpenAiRequestWriter}, streams through {@link ChatStreamRenderer}
 * on the translating lane, completions through {@link OpenAiAnswerWriter} and {@link ResponseShaper}.
 */
class OpenAiChatDialectContractTest extends IngressDialectContract {
    private static final String ID = "gen-1700000000-contractcontractcontr";
    private static final long CREATED = 1_700_000_000L;
    private static final Cost COST = CostCalculator.cost(Pricing.of("0.000001", "0.000002"), USAGE);

    @Override
    protected String format() {
        return "openai.chat";
    }

    @Override
    protected ChatRequest read(JsonNode body) {
        return OpenAiChatRequests.read(body, Attribution.NONE);
    }

    @Override
    protected JsonNode write(ChatRequest request) {
        try {
            // through bytes, as it goes on the wire: raw values in the tree become JSON again
            return JSON.readTree(JSON.writeValueAsBytes(OpenAiRequestWriter.write(request)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> renderStream(List<StreamEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChatStreamRenderer renderer = new ChatStreamRenderer(new SseWriter(out), JSON, ID, CREATED);
        renderer.commit("acme/contract", "Contract Cloud", false);
        events.forEach(renderer::event);
        renderer.finish(USAGE, COST);
        List<String> payloads = new ArrayList<>();
        for (String event : out.toString(StandardCharsets.UTF_8).split("\n\n", -1)) {
            if (!event.isEmpty()) { // after the last event's blank line
                payloads.add(event.substring("data: ".length()));
            }
        }
        return payloads;
    }

    @Override
    protected JsonNode renderCompletion(Completion completion) {
        ObjectNode body = OpenAiAnswerWriter.completion(completion);
        new ResponseShaper(ID, "acme/contract", "Contract Cloud", CREATED).shapeCompletion(body, USAGE, COST);
        try {
            return JSON.readTree(Json.bytes(JSON, body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<JsonNode> chunks(List<String> payloads) {
        List<JsonNode> chunks = new ArrayList<>();
        for (String payload : payloads) {
            if (!payload.equals("[DONE]")) {
                try {
                    chunks.add(JSON.readTree(payload));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return chunks;
    }

    @Override
    protected String streamText(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(
                c.path("choices").path(0).path("delta").path("content").asText("")));
        return text.toString();
    }

    @Override
    protected String completionText(JsonNode completion) {
        return completion
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText("");
    }

    @Override
    protected List<String> streamToolArguments(List<JsonNode> chunks) {
        Map<Integer, StringBuilder> calls = new TreeMap<>();
        for (JsonNode chunk : chunks) {
            for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
                calls.computeIfAbsent(call.path("index").asInt(), i -> new StringBuilder())
                        .append(call.path("function").path("arguments").asText(""));
            }
        }
        return calls.values().stream().map(StringBuilder::toString).toList();
    }

    @Override
    protected List<String> completionToolArguments(JsonNode completion) {
        List<String> arguments = new ArrayList<>();
        completion
                .path("choices")
                .path(0)
                .path("message")
                .path("tool_calls")
                .forEach(call ->
                        arguments.add(call.path("function").path("arguments").asText()));
        return arguments;
    }

    @Override
    protected long finishes(List<JsonNode> chunks) {
        return chunks.stream()
                .filter(c -> !c.path("choices").path(0).path("finish_reason").isMissingNode()
                        && !c.path("choices").path(0).path("finish_reason").isNull())
                .count();
    }

    @Override
    protected long usages(List<JsonNode> chunks) {
        return chunks.stream().filter(c -> c.has("usage")).count();
    }
}
