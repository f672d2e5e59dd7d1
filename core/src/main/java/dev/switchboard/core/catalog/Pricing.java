package dev.switchboard.core.catalog;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prices of one endpoint in USD, exact decimals: per token, except {@code request} (per request),
 * {@code image} (per input image) and {@code webSearch} (per web search). Absent prices are zero.
 * {@link #asStrings()} gives OpenRouter's string form, preserving the catalog's own spelling so that
 * {@code "0.0000025"} round-trips unchanged.
 *
 * <p>{@code internalReasoning}, {@code image} and {@code webSearch} are published (in {@code /models})
 * but not billed: reasoning tokens are part of the completion tokens, and the gateway counts no images
 * or searches.
 */
public record Pricing(
        BigDecimal prompt,
        BigDecimal completion,
        BigDecimal request,
        BigDecimal inputCacheRead,
        BigDecimal inputCacheWrite,
        BigDecimal internalReasoning,
        BigDecimal image,
        BigDecimal webSearch) {
    public Pricing {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(inputCacheRead, "inputCacheRead");
        Objects.requireNonNull(inputCacheWrite, "inputCacheWrite");
        Objects.requireNonNull(internalReasoning, "internalReasoning");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(webSearch, "webSearch");
    }

    /** Prices without per-image and per-search charges. */
    public Pricing(
            BigDecimal prompt,
            BigDecimal completion,
            BigDecimal request,
            BigDecimal inputCacheRead,
            BigDecimal inputCacheWrite,
            BigDecimal internalReasoning) {
        this(
                prompt,
                completion,
                request,
                inputCacheRead,
                inputCacheWrite,
                internalReasoning,
                BigDecimal.ZERO,
                BigDecimal.ZERO);
    }

    public static final Pricing FREE = new Pricing(
            BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    /** Per-token prompt and completion prices; everything else zero. */
    public static Pricing of(String prompt, String completion) {
        return new Pricing(
                new BigDecimal(prompt),
                new BigDecimal(completion),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO);
    }

    /** The OpenRouter {@code pricing} object: decimal strings, zero-valued cache prices left out. */
    public Map<String, String> asStrings() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("prompt", prompt.toPlainString());
        out.put("completion", completion.toPlainString());
        out.put("request", request.toPlainString());
        out.put("image", image.toPlainString());
        out.put("web_search", webSearch.toPlainString());
        out.put("internal_reasoning", internalReasoning.toPlainString());
        putIfPriced(out, "input_cache_read", inputCacheRead);
        putIfPriced(out, "input_cache_write", inputCacheWrite);
        return out;
    }

    /** Blended price used to order endpoints: prompt + completion per token. */
    public BigDecimal blended() {
        return prompt.add(completion);
    }

    private static void putIfPriced(Map<String, String> out, String key, BigDecimal price) {
        if (price.signum() != 0) {
            out.put(key, price.toPlainString());
        }
    }
}
