package dev.switchboard.simulator;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The per-request behaviour of the simulator, resolved from the request's controls (see
 * {@link ControlSource}) over the {@link SimulatorOptions} defaults.
 *
 * @param timeToFirstToken  delay before the first byte of the response ({@code ttft_ms})
 * @param tokensPerSecond   streamed pacing, 0 = unlimited ({@code tokens_per_second})
 * @param outputTokens      completion length before any cap ({@code output_tokens})
 * @param seed              base seed, mixed with the messages' hash ({@code seed})
 * @param toolCall          answer with a call to the first tool ({@code tool_call})
 * @param reasoningTokens   hidden reasoning tokens to bill; empty = the model's default
 *                          ({@code reasoning_tokens})
 * @param fault             failure to act out ({@code fault})
 * @param status            HTTP status for {@link Fault#STATUS}, default 500 ({@code status})
 * @param retryAfterSeconds {@code Retry-After} value for {@link Fault#STATUS} ({@code retry_after})
 * @param faultAfterTokens  token chunks sent before a mid-stream fault, default 3
 *                          ({@code fault_after_tokens})
 * @param hang              how long hangs and stalls last, default 10 minutes ({@code hang_ms})
 * @param cachedTokens      prompt tokens reported as read from cache, at most the prompt's
 *                          ({@code cached_tokens}, default 0)
 */
record RequestControls(
        Duration timeToFirstToken,
        int tokensPerSecond,
        int outputTokens,
        long seed,
        boolean toolCall,
        OptionalInt reasoningTokens,
        Fault fault,
        int status,
        OptionalLong retryAfterSeconds,
        int faultAfterTokens,
        Duration hang,
        long cachedTokens) {

    static final long MAX_TOKENS = 1_000_000;
    static final long MAX_WAIT_MILLIS = Duration.ofHours(1).toMillis();
    static final int DEFAULT_FAULT_AFTER_TOKENS = 3;
    static final Duration DEFAULT_HANG = Duration.ofMinutes(10);

    static RequestControls read(ControlSource source, SimulatorOptions defaults) {
        Fault fault = source.text("fault")
                .map(name -> Fault.parse(name)
                        .orElseThrow(() -> source.rejected("fault", "must be one of " + Fault.allWireNames())))
                .orElse(Fault.NONE);
        OptionalLong reasoning = source.whole("reasoning_tokens", 0, MAX_TOKENS);
        return new RequestControls(
                source.millis("ttft_ms", MAX_WAIT_MILLIS).orElse(defaults.defaultTimeToFirstToken()),
                (int) source.whole("tokens_per_second", 0, MAX_TOKENS).orElse(defaults.defaultTokensPerSecond()),
                (int) source.whole("output_tokens", 0, MAX_TOKENS).orElse(defaults.defaultOutputTokens()),
                source.whole("seed", Long.MIN_VALUE, Long.MAX_VALUE).orElse(defaults.seed()),
                source.flag("tool_call").orElse(false),
                reasoning.isPresent() ? OptionalInt.of((int) reasoning.getAsLong()) : OptionalInt.empty(),
                fault,
                (int) source.whole("status", 400, 599).orElse(500),
                source.whole("retry_after", 0, 86_400),
                (int) source.whole("fault_after_tokens", 0, MAX_TOKENS).orElse(DEFAULT_FAULT_AFTER_TOKENS),
                source.millis("hang_ms", MAX_WAIT_MILLIS).orElse(DEFAULT_HANG),
                source.whole("cached_tokens", 0, MAX_TOKENS).orElse(0));
    }
}
