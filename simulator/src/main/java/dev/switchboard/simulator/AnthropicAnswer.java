package dev.switchboard.simulator;

import dev.switchboard.simulator.ChatRequest.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Everything one simulated Messages answer says, decided before the first byte; the body and the
 * stream render the same answer ({@link AnthropicEncoder}).
 *
 * <p>Design: it is the {@link CompletionPlan} of the request, told in Anthropic's terms. Reasoning tokens
 * become a visible {@code thinking} block of that many words with its signature (and, when asked, a
 * {@code redacted_thinking} block as well); a tool-calling plan calls the plan's tool and, when the
 * {@code tool_calls} control asks for more and parallel use is allowed, the next tools too, each with
 * arguments invented for its schema. Usage: the prompt splits into cache reads ({@code cached_tokens}),
 * cache writes ({@code cache_write_tokens}) and the rest, which is Anthropic's {@code input_tokens}.
 *
 * @param id          {@code msg_sim_…}
 * @param thinking    the thinking text, when the answer thinks
 * @param redacted    redacted thinking data, when asked for
 * @param text        the answer's text, when it is text
 * @param calls       the tool calls, in order
 * @param stopReason  Anthropic's {@code stop_reason}
 */
record AnthropicAnswer(
        String id,
        String model,
        Optional<String> thinking,
        Optional<String> redacted,
        Optional<CompletionPlan.Text> text,
        List<CompletionPlan.ToolCall> calls,
        String stopReason,
        Usage usage) {

    /**
     * Anthropic's counts.
     *
     * @param input      prompt tokens neither read from nor written to the cache
     * @param cacheWrite prompt tokens written to the cache
     * @param cacheRead  prompt tokens read from the cache
     * @param output     output tokens, thinking included
     * @param thinking   thinking tokens
     */
    record Usage(long input, long cacheWrite, long cacheRead, long output, long thinking) {}

    AnthropicAnswer {
        calls = List.copyOf(calls);
    }

    static AnthropicAnswer of(
            CompletionPlan plan,
            AnthropicRequest request,
            int toolCalls,
            boolean redacted,
            long cacheWrite,
            WordList words) {
        String id = "msg_sim_" + plan.id().substring(plan.id().lastIndexOf('-') + 1);
        int reasoning = plan.usage().reasoningTokens();
        Optional<String> thinking = reasoning > 0
                ? Optional.of(
                        AnthropicThinkingText.words(reasoning, request.chat().messagesHash(), words))
                : Optional.empty();
        List<CompletionPlan.ToolCall> calls = new ArrayList<>();
        Optional<CompletionPlan.Text> text = Optional.empty();
        long output = plan.usage().completionTokens();
        switch (plan.output()) {
            case CompletionPlan.Text planned -> text = Optional.of(planned);
            case CompletionPlan.ToolCall call -> {
                calls.add(new CompletionPlan.ToolCall(
                        call.callId().replace("call_sim_", "toolu_sim_"),
                        call.name(),
                        call.arguments(),
                        call.fragments()));
                output += moreCalls(request, toolCalls, id, words, calls);
            }
        }
        String stopReason = switch (plan.finishReason()) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
        };
        int prompt = plan.usage().promptTokens();
        long read = plan.usage().cachedTokens();
        long write = Math.min(cacheWrite, prompt - read);
        return new AnthropicAnswer(
                id,
                plan.model(),
                thinking,
                redacted ? Optional.of(AnthropicThinkingText.redacted(id)) : Optional.empty(),
                text,
                calls,
                stopReason,
                new Usage(prompt - read - write, write, read, output, reasoning));
    }

    /** Calls of the tools after the first, up to {@code wanted} in all; returns their tokens. */
    private static long moreCalls(
            AnthropicRequest request, int wanted, String id, WordList words, List<CompletionPlan.ToolCall> calls) {
        if (request.serialTools()) {
            return 0;
        }
        long tokens = 0;
        SplittableRandom random = new SplittableRandom(request.chat().messagesHash());
        List<ToolSpec> tools = request.callable();
        for (int i = 1; i < Math.min(wanted, tools.size()); i++) {
            String arguments = ToolArguments.invent(tools.get(i).parameters(), random, words);
            List<String> fragments = ToolArguments.fragments(arguments);
            calls.add(new CompletionPlan.ToolCall(
                    "toolu_sim_" + id.substring("msg_sim_".length()) + "_" + i,
                    tools.get(i).name(),
                    arguments,
                    fragments));
            tokens += fragments.size();
        }
        return tokens;
    }
}
