package dev.switchboard.simulator;

import dev.switchboard.simulator.ChatRequest.ToolSpec;
import dev.switchboard.simulator.CompletionPlan.FinishReason;
import dev.switchboard.simulator.CompletionPlan.Output;
import dev.switchboard.simulator.CompletionPlan.Usage;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Decides a simulated answer.
 *
 * <p>Design: the answer is a pure function of the seed and the request's messages (the seed is
 * mixed with {@link ChatRequest#messagesHash()}), so equal requests get equal answers and tests
 * can compare runs byte for byte. Lengths follow OpenAI's accounting: the cap
 * ({@code max_completion_tokens}, else {@code max_tokens}) bounds reasoning plus visible tokens;
 * reasoning is spent first, and an answer the cap cut short finishes with {@code length}. Tool
 * calls are always complete and finish with {@code tool_calls}; each argument fragment is one
 * token.
 */
final class CompletionPlanner {

    /** Reasoning tokens billed by default for models whose name contains {@code reasoning}. */
    static final int DEFAULT_REASONING_TOKENS = 8;

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final WordList words;

    CompletionPlanner(WordList words) {
        this.words = words;
    }

    CompletionPlan plan(ChatRequest request, RequestControls controls, String id, long created) {
        SplittableRandom random = new SplittableRandom(controls.seed() ^ (request.messagesHash() * GOLDEN_GAMMA));
        int budget = request.maxTokens().orElse(Integer.MAX_VALUE);
        int reasoning = Math.min(budget, reasoningTokens(request, controls));
        int cached = (int) Math.min(request.promptTokens(), controls.cachedTokens());
        Optional<ToolSpec> tool =
                request.forcedTool().or(() -> controls.toolCall() ? request.firstTool() : Optional.empty());
        if (tool.isPresent()) {
            String arguments = ToolArguments.invent(tool.get().parameters(), random, words);
            List<String> fragments = ToolArguments.fragments(arguments);
            Output call = new CompletionPlan.ToolCall(
                    "call_sim_" + id.substring(id.lastIndexOf('-') + 1),
                    tool.get().name(),
                    arguments,
                    fragments);
            return new CompletionPlan(
                    id,
                    created,
                    request.model(),
                    call,
                    FinishReason.TOOL_CALLS,
                    new Usage(request.promptTokens(), reasoning + fragments.size(), reasoning, cached));
        }
        int wanted = controls.outputTokens();
        int visible = Math.min(wanted, budget - reasoning);
        FinishReason finish = (long) reasoning + wanted > budget ? FinishReason.LENGTH : FinishReason.STOP;
        int[] indexes = random.ints(visible, 0, words.size()).toArray();
        return new CompletionPlan(
                id,
                created,
                request.model(),
                new CompletionPlan.Text(words, indexes),
                finish,
                new Usage(request.promptTokens(), reasoning + visible, reasoning, cached));
    }

    private static int reasoningTokens(ChatRequest request, RequestControls controls) {
        if (controls.reasoningTokens().isPresent()) {
            return controls.reasoningTokens().getAsInt();
        }
        return request.model().contains("reasoning") ? DEFAULT_REASONING_TOKENS : 0;
    }
}
