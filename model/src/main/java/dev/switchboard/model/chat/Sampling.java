package dev.switchboard.model.chat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How tokens are drawn. Numbers are kept exactly as sent ({@link BigDecimal}), so a value relayed to a
 * provider is the value the client chose, digit for digit.
 *
 * @param stop        sequences that end the answer
 * @param choices     {@code n}, the number of answers wanted
 * @param logprobs    whether to return token log-probabilities
 * @param logitBias   OpenAI's map of token id to bias, kept as JSON (token ids are tokenizer-specific)
 */
public record Sampling(
        Optional<BigDecimal> temperature,
        Optional<BigDecimal> topP,
        Optional<BigDecimal> topK,
        Optional<BigDecimal> frequencyPenalty,
        Optional<BigDecimal> presencePenalty,
        Optional<BigDecimal> repetitionPenalty,
        Optional<BigDecimal> minP,
        Optional<BigDecimal> topA,
        Optional<BigDecimal> seed,
        List<String> stop,
        OptionalInt choices,
        Optional<Boolean> logprobs,
        OptionalInt topLogprobs,
        Optional<RawJson> logitBias) {
    public static final Sampling DEFAULTS = new Sampling(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            OptionalInt.empty(),
            Optional.empty(),
            OptionalInt.empty(),
            Optional.empty());

    public Sampling {
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(topP, "topP");
        Objects.requireNonNull(topK, "topK");
        Objects.requireNonNull(frequencyPenalty, "frequencyPenalty");
        Objects.requireNonNull(presencePenalty, "presencePenalty");
        Objects.requireNonNull(repetitionPenalty, "repetitionPenalty");
        Objects.requireNonNull(minP, "minP");
        Objects.requireNonNull(topA, "topA");
        Objects.requireNonNull(seed, "seed");
        stop = List.copyOf(stop);
        Objects.requireNonNull(choices, "choices");
        Objects.requireNonNull(logprobs, "logprobs");
        Objects.requireNonNull(topLogprobs, "topLogprobs");
        Objects.requireNonNull(logitBias, "logitBias");
    }
}
