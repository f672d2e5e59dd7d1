package dev.switchboard.model.chat;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code provider.max_price}: a hard upper bound on an endpoint's prices, in USD. {@code prompt} and
 * {@code completion} are per million tokens, as OpenRouter defines them; {@code request} per request,
 * {@code image} per input image, {@code audio} per audio unit. An absent bound does not limit.
 */
public record MaxPrice(
        Optional<BigDecimal> prompt,
        Optional<BigDecimal> completion,
        Optional<BigDecimal> request,
        Optional<BigDecimal> image,
        Optional<BigDecimal> audio) {
    public MaxPrice {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(audio, "audio");
    }
}
