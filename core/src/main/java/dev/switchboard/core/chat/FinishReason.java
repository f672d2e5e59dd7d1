package dev.switchboard.core.chat;

import java.util.Locale;

/**
 * Normalises providers' native finish reasons to OpenRouter's five: {@code stop}, {@code length},
 * {@code tool_calls}, {@code content_filter}, {@code error}. The native value is always kept beside
 * it as {@code native_finish_reason}.
 */
public final class FinishReason {
    private FinishReason() {
    }

    /** The normalised reason for a native one; unknown natives map to {@code stop}. */
    public static String normalise(String nativeReason) {
        if (nativeReason == null) {
            return null;
        }
        return switch (nativeReason.toLowerCase(Locale.ROOT)) {
            case "stop", "end_turn", "stop_sequence", "eos", "complete", "finish_reason_stop" -> "stop";
            case "length", "max_tokens", "model_length", "max_output_tokens" -> "length";
            case "tool_calls", "function_call", "tool_use" -> "tool_calls";
            case "content_filter", "safety", "recitation", "blocklist", "prohibited_content", "refusal" -> "content_filter";
            case "error" -> "error";
            default -> "stop";
        };
    }
}
