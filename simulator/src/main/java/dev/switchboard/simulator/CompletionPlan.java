package dev.switchboard.simulator;

import java.util.List;

/**
 * Everything one simulated answer will say, decided before the first byte is written; the
 * streaming and non-streaming encoders render the same plan.
 *
 * @param id           {@code chatcmpl-sim-…}
 * @param created      epoch seconds
 * @param model        the requested model, echoed
 * @param output       text or a tool call
 * @param finishReason why the answer ends
 * @param usage        token accounting
 */
record CompletionPlan(String id, long created, String model, Output output, FinishReason finishReason, Usage usage) {

    /** What the assistant answers with. */
    sealed interface Output permits Text, ToolCall {}

    /**
     * Words from a {@link WordList}, one token each.
     *
     * @param words       the vocabulary
     * @param wordIndexes the answer, as indexes into {@code words}
     */
    @SuppressWarnings("ArrayRecordComponent") // built once per request and only read; never compared
    record Text(WordList words, int[] wordIndexes) implements Output {

        String content() {
            StringBuilder content = new StringBuilder(wordIndexes.length * 8);
            for (int i = 0; i < wordIndexes.length; i++) {
                content.append(i == 0 ? "" : " ").append(words.word(wordIndexes[i]));
            }
            return content.toString();
        }
    }

    /**
     * A call to one function; the arguments stream in fragments, one token each.
     *
     * @param callId    {@code call_sim_…}
     * @param name      function name
     * @param arguments the JSON arguments text, equal to the fragments concatenated
     * @param fragments the arguments as streamed
     */
    record ToolCall(String callId, String name, String arguments, List<String> fragments) implements Output {
        ToolCall {
            fragments = List.copyOf(fragments);
        }
    }

    /** OpenAI's {@code finish_reason}. */
    enum FinishReason {
        STOP("stop"),
        LENGTH("length"),
        TOOL_CALLS("tool_calls");

        private final String wireName;

        FinishReason(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    /**
     * Token accounting; reasoning tokens are hidden but billed as completion tokens, as OpenAI
     * does.
     *
     * @param promptTokens     input tokens
     * @param completionTokens output tokens including reasoning
     * @param reasoningTokens  hidden reasoning tokens
     * @param cachedTokens     input tokens read from cache, part of {@code promptTokens}
     */
    record Usage(int promptTokens, int completionTokens, int reasoningTokens, int cachedTokens) {
        int totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    /** How many token chunks a stream of this plan carries between its opening and finish chunks. */
    int tokenChunks() {
        return switch (output) {
            case Text text -> text.wordIndexes().length;
            case ToolCall call -> call.fragments().size();
        };
    }
}
