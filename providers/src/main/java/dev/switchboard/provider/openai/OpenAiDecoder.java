package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decodes OpenAI answers into canonical events: a stream chunk's {@code choices[].delta}, and a whole
 * completion's {@code choices[].message} the same way, so that both assemble into the same completion.
 *
 * <p>Per choice, in this order: reasoning ({@code reasoning_details} entries, else the plain
 * {@code reasoning} or {@code reasoning_content} text), text ({@code content}), refusal, tool calls
 * ({@code tool_calls[]}, by their {@code index}; a whole message's calls by position), then the finish
 * when {@code finish_reason} is set. Stateless.
 */
final class OpenAiDecoder {
    private OpenAiDecoder() {}

    /** The events of every choice of a stream chunk ({@code delta}) or a completion ({@code message}). */
    static void choices(JsonNode choices, String field, Consumer<StreamEvent> out) {
        int position = 0;
        for (JsonNode choice : choices) {
            int index = choice.path("index").canConvertToInt()
                    ? choice.path("index").asInt()
                    : position;
            JsonNode body = choice.path(field);
            reasoning(index, body, out);
            JsonNode content = body.get("content");
            if (content != null && content.isTextual()) {
                out.accept(new StreamEvent.TextDelta(index, content.textValue()));
            } else if (content != null && content.isArray()) {
                for (JsonNode part : content) {
                    if (part.path("text").isTextual()) {
                        out.accept(new StreamEvent.TextDelta(
                                index, part.path("text").textValue()));
                    }
                }
            }
            JsonNode refusal = body.get("refusal");
            if (refusal != null && refusal.isTextual() && !refusal.textValue().isEmpty()) {
                out.accept(new StreamEvent.RefusalDelta(index, refusal.textValue()));
            }
            toolCalls(index, body.path("tool_calls"), out);
            JsonNode finish = choice.get("finish_reason");
            if (finish != null && finish.isTextual()) {
                out.accept(new StreamEvent.Finished(
                        index, FinishReason.normalise(finish.textValue()), Optional.of(finish.textValue())));
            }
            position++;
        }
    }

    private static void reasoning(int index, JsonNode body, Consumer<StreamEvent> out) {
        JsonNode details = body.get("reasoning_details");
        if (details != null && details.isArray() && !details.isEmpty()) {
            for (JsonNode detail : details) {
                OpenAiReasoning.read(detail).ifPresent(part -> {
                    if (part instanceof ContentPart.Reasoning reasoning) {
                        out.accept(new StreamEvent.ReasoningDelta(index, reasoning));
                    }
                });
            }
            return;
        }
        Optional<String> text = OpenAiJson.text(body, "reasoning").or(() -> OpenAiJson.text(body, "reasoning_content"));
        text.filter(t -> !t.isEmpty())
                .ifPresent(t -> out.accept(new StreamEvent.ReasoningDelta(
                        index,
                        new ContentPart.Reasoning(
                                ContentPart.Reasoning.Kind.TEXT,
                                t,
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Extensions.NONE))));
    }

    private static void toolCalls(int index, JsonNode calls, Consumer<StreamEvent> out) {
        int position = 0;
        for (JsonNode call : calls) {
            int callIndex =
                    call.path("index").canConvertToInt() ? call.path("index").asInt() : position;
            JsonNode function = call.path("function");
            JsonNode arguments = function.path("arguments");
            out.accept(new StreamEvent.ToolCallDelta(
                    index,
                    callIndex,
                    OpenAiJson.text(call, "id"),
                    OpenAiJson.text(function, "name"),
                    arguments.isTextual()
                            ? arguments.textValue()
                            : arguments.isMissingNode() || arguments.isNull() ? "" : arguments.toString()));
            position++;
        }
    }

    /** Whether any choice of a chunk carries something (it is relayed then, even a role-only chunk). */
    static boolean hasChoices(JsonNode chunk) {
        JsonNode choices = chunk.get("choices");
        return choices != null && choices.isArray() && !choices.isEmpty();
    }
}
