package dev.switchboard.model.response;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a choice ended, as OpenRouter normalises every provider's reasons: one of five. The provider's own
 * word is always kept beside it ({@code native_finish_reason}).
 */
public enum FinishReason {
    STOP("stop"),
    LENGTH("length"),
    TOOL_CALLS("tool_calls"),
    CONTENT_FILTER("content_filter"),
    ERROR("error");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name clients see in {@code finish_reason}. */
    public String wireName() {
        return wireName;
    }

    /** The normalised reason for a provider's native one; an unknown one counts as {@link #STOP}. */
    public static FinishReason normalise(String nativeReason) {
        return switch (nativeReason.toLowerCase(Locale.ROOT)) {
            case "length", "max_tokens", "model_length", "max_output_tokens", "model_context_window_exceeded" -> LENGTH;
            case "tool_calls", "function_call", "tool_use" -> TOOL_CALLS;
            case "content_filter",
                    "safety",
                    "recitation",
                    "blocklist",
                    "prohibited_content",
                    "refusal",
                    "spii",
                    "image_safety" -> CONTENT_FILTER;
            case "error" -> ERROR;
            default -> STOP;
        };
    }

    /** {@link #normalise} of a reason that may be absent. */
    public static Optional<FinishReason> normalise(Optional<String> nativeReason) {
        return nativeReason.map(FinishReason::normalise);
    }
}
