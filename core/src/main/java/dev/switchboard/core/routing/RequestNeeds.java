package dev.switchboard.core.routing;

import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ResponseFormat;
import dev.switchboard.model.chat.Sampling;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a request asks of an endpoint, worked out once per request for every filter of the planner.
 *
 * @param parameters      the request parameters it sends, named as endpoints list them in
 *                        {@code supported_parameters}
 * @param inputModalities {@code text}, and {@code image}, {@code file} or {@code audio} when parts of
 *                        those kinds are present
 * @param promptTokens    an estimate of the prompt's tokens: a quarter of its characters, which is what
 *                        a byte-pair tokenizer averages on English text. Cheap on purpose, since it is
 *                        computed on every request; context compression counts exactly
 * @param maxTokens       the completion tokens asked for, 0 when not set
 * @param contextCompression the request's context-compression setting, empty when it gave none
 */
record RequestNeeds(
        Set<String> parameters,
        Set<String> inputModalities,
        long promptTokens,
        long maxTokens,
        Optional<Boolean> contextCompression) {
    /** Parameters that, when some endpoints of a model support them and others do not, steer to the former. */
    static final List<String> SOFT_PREFERENCES = List.of("tools", "response_format", "verbosity");

    static RequestNeeds of(ChatRequest request) {
        Set<String> parameters = new LinkedHashSet<>();
        if (!request.tools().isEmpty()) {
            parameters.add("tools");
        }
        request.toolChoice().ifPresent(c -> parameters.add("tool_choice"));
        request.parallelToolCalls().ifPresent(p -> parameters.add("parallel_tool_calls"));
        request.responseFormat().ifPresent(format -> {
            parameters.add("response_format");
            if (format instanceof ResponseFormat.JsonSchema) {
                parameters.add("structured_outputs");
            }
        });
        request.reasoning().ifPresent(r -> parameters.add("reasoning"));
        if (request.maxTokens().isPresent()) {
            parameters.add("max_tokens");
        }
        sampling(request.sampling(), parameters);
        if (request.extensions().get("verbosity").isPresent()) {
            parameters.add("verbosity");
        }
        Set<String> modalities = new LinkedHashSet<>();
        modalities.add("text");
        long chars = 0;
        for (Message message : request.messages()) {
            chars += characters(message.content(), modalities);
        }
        return new RequestNeeds(
                Set.copyOf(parameters),
                Set.copyOf(modalities),
                (chars + 3) / 4,
                request.maxTokens().orElse(0),
                request.contextCompression());
    }

    private static void sampling(Sampling s, Set<String> out) {
        s.temperature().ifPresent(v -> out.add("temperature"));
        s.topP().ifPresent(v -> out.add("top_p"));
        s.topK().ifPresent(v -> out.add("top_k"));
        s.frequencyPenalty().ifPresent(v -> out.add("frequency_penalty"));
        s.presencePenalty().ifPresent(v -> out.add("presence_penalty"));
        s.repetitionPenalty().ifPresent(v -> out.add("repetition_penalty"));
        s.minP().ifPresent(v -> out.add("min_p"));
        s.topA().ifPresent(v -> out.add("top_a"));
        s.seed().ifPresent(v -> out.add("seed"));
        if (!s.stop().isEmpty()) {
            out.add("stop");
        }
        s.logprobs().ifPresent(v -> out.add("logprobs"));
        if (s.topLogprobs().isPresent()) {
            out.add("top_logprobs");
        }
        s.logitBias().ifPresent(v -> out.add("logit_bias"));
    }

    private static long characters(List<ContentPart> parts, Set<String> modalities) {
        long chars = 0;
        for (ContentPart part : parts) {
            switch (part) {
                case ContentPart.Text text -> chars += text.text().length();
                case ContentPart.ToolCall call ->
                    chars += call.arguments().length() + call.name().length();
                case ContentPart.ToolResult result -> chars += characters(result.content(), modalities);
                case ContentPart.Image image -> modalities.add("image");
                case ContentPart.Document document -> modalities.add("file");
                case ContentPart.Audio audio -> modalities.add("audio");
                default -> {}
            }
        }
        return chars;
    }
}
