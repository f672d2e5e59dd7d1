package dev.switchboard.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens locally when a provider reports none: a stream the client cancelled before the usage
 * chunk, a stream that broke, a server that omits usage. Uses the o200k tokenizer; for other model
 * families the count is an estimate, and records built from it are marked as estimated.
 *
 * <p>Thread-safe. The tokenizer tables (tens of megabytes) are loaded once, on first use, by the
 * class-holder idiom: concurrent first callers wait for the one load instead of each building their own.
 */
public final class TokenEstimator {
    /** Per-message framing tokens of the chat format (role and separators). */
    private static final int PER_MESSAGE = 4;

    /** Tokens of the text content of the request's messages. */
    public long promptTokens(JsonNode messages) {
        long tokens = 0;
        for (JsonNode message : messages) {
            tokens += PER_MESSAGE + textTokens(message.path("content"));
        }
        return tokens;
    }

    /** Tokens of a piece of generated text. */
    public long textTokens(String text) {
        return text.isEmpty() ? 0 : encoding().countTokensOrdinary(text);
    }

    private long textTokens(JsonNode content) {
        if (content.isTextual()) {
            return textTokens(content.asText());
        }
        long tokens = 0;
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                tokens += textTokens(part.path("text").asText());
            }
        }
        return tokens;
    }

    private static Encoding encoding() {
        return Holder.ENCODING;
    }

    /** Loaded by the JVM exactly once, when first referenced. */
    private static final class Holder {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }
}
