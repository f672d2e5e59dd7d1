package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.WireBody;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.CompletionAssembler;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decodes a whole {@code Message} into canonical events, the same ones its stream gives
 * ({@link AnthropicEventStream}), so that both assemble into the same completion.
 *
 * <p>Per content block, in order: {@code text} is text; {@code thinking} is reasoning text with its
 * signature and {@code redacted_thinking} encrypted reasoning, both of format {@value
 * AnthropicMessages#REASONING_FORMAT} so they can be sent back on the next turn; {@code tool_use} is a tool
 * call (its id kept, its {@code input} as the arguments' JSON text, calls numbered in order). Blocks of
 * server tools and citations have no canonical place and are not decoded (the native body, when relayed,
 * still has them). Then the finish from {@code stop_reason} (the native word kept) and the usage.
 * Stateless.
 */
final class AnthropicDecoder {
    private AnthropicDecoder() {}

    /** The completion of a {@code Message} body; {@code showReasoning} false leaves reasoning out. */
    static Completion decode(ObjectNode body, boolean showReasoning, boolean relayNative) {
        CompletionAssembler assembler =
                new CompletionAssembler().accept(new StreamEvent.Started(text(body, "id"), text(body, "model")));
        int toolIndex = 0;
        for (JsonNode block : body.path("content")) {
            Consumer<StreamEvent> out = assembler::accept;
            switch (block.path("type").asText("")) {
                case "text" -> {
                    String text = block.path("text").asText("");
                    if (!text.isEmpty()) {
                        out.accept(new StreamEvent.TextDelta(0, text));
                    }
                }
                case "thinking", "redacted_thinking" -> {
                    if (showReasoning) {
                        startedReasoning(block)
                                .ifPresent(piece -> out.accept(new StreamEvent.ReasoningDelta(0, piece)));
                    }
                }
                case "tool_use" -> {
                    JsonNode input = block.path("input");
                    out.accept(new StreamEvent.ToolCallDelta(
                            0,
                            toolIndex++,
                            text(block, "id"),
                            text(block, "name"),
                            input.isObject() ? input.toString() : "{}"));
                }
                default -> {
                    // server-tool blocks and other newer types: no canonical place (see the class note)
                }
            }
        }
        assembler.accept(finished(text(body, "stop_reason")));
        assembler.accept(new StreamEvent.UsageReported(
                AnthropicUsage.merge(AnthropicUsage.NONE, body.get("usage")).canonical()));
        Completion completion = assembler.build();
        return relayNative ? completion.withSource(new WireBody(AnthropicAdapter.WIRE_FORMAT, body)) : completion;
    }

    /**
     * The reasoning a thinking or redacted-thinking block holds as it starts (a whole block, in a
     * {@code Message}): its text and signature, or its encrypted data; empty when it holds nothing yet.
     */
    static Optional<ContentPart.Reasoning> startedReasoning(JsonNode block) {
        if (block.path("type").asText().equals("redacted_thinking")) {
            return Optional.of(reasoning(
                    ContentPart.Reasoning.Kind.ENCRYPTED, block.path("data").asText(""), Optional.empty()));
        }
        String thinking = block.path("thinking").asText("");
        Optional<String> signature = text(block, "signature").filter(s -> !s.isEmpty());
        return thinking.isEmpty() && signature.isEmpty()
                ? Optional.empty()
                : Optional.of(reasoning(ContentPart.Reasoning.Kind.TEXT, thinking, signature));
    }

    static ContentPart.Reasoning reasoning(
            ContentPart.Reasoning.Kind kind, String content, Optional<String> signature) {
        return new ContentPart.Reasoning(
                kind,
                content,
                signature,
                Optional.empty(),
                Optional.of(AnthropicMessages.REASONING_FORMAT),
                Extensions.NONE);
    }

    /** The finish for a {@code stop_reason}; none given (a stream that ended without one) counts as {@code end_turn}. */
    static StreamEvent.Finished finished(Optional<String> stopReason) {
        String nativeReason = stopReason.orElse("end_turn");
        return new StreamEvent.Finished(0, finishReason(nativeReason), Optional.of(nativeReason));
    }

    /** Anthropic's {@code stop_reason} as OpenRouter reports it. */
    static FinishReason finishReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence", "pause_turn" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.normalise(stopReason);
        };
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }
}
