package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import org.jspecify.annotations.Nullable;

/**
 * Reads OpenAI-shaped error objects, {@code {"message": "...", "type": "...", "code": ...}}, as they
 * come in an error body ({@code {"error": {...}}}) or in-band in a stream chunk.
 *
 * <p>Only what the provider sent is reported: its message when it has one, and, for an in-band error,
 * its {@code code} as {@code provider_code}, and as the status only when that code is an HTTP error
 * status. A code such as {@code "server_error"} is passed on as it is, never turned into a number.
 * Stateless.
 */
final class OpenAiErrors {
    static final String GENERIC_MESSAGE = "Provider returned error";

    private OpenAiErrors() {}

    /** The provider's message from an error object, or a generic one when it has none. */
    static String message(JsonNode error) {
        JsonNode message = error.path("message");
        return message.isTextual() && !message.asText().isBlank() ? message.asText() : GENERIC_MESSAGE;
    }

    /**
     * An error the provider sent in-band in an otherwise successful stream. Its {@code code}, when it
     * is an HTTP error status (OpenRouter-style upstreams send {@code 429}, {@code 502}, ...), classifies
     * it; any other code, or none, is a provider server error without a status of its own.
     */
    static UpstreamException inBand(JsonNode error, String providerName, @Nullable String raw) {
        int status = httpStatus(error.path("code"));
        UpstreamFailure failure = status == 0 ? UpstreamFailure.SERVER_ERROR : UpstreamFailure.ofStatus(status);
        return new UpstreamException(
                failure, providerName, status, providerCode(error.path("code")), message(error), raw, null);
    }

    /** The provider's code as it sent it, when it sent one. */
    private static @Nullable String providerCode(JsonNode code) {
        return code.isTextual() || code.isNumber() ? code.asText() : null;
    }

    private static int httpStatus(JsonNode code) {
        if (!code.isIntegralNumber() || !code.canConvertToInt()) {
            return 0;
        }
        int value = code.asInt();
        return value >= 400 && value < 600 ? value : 0;
    }
}
