package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic's errors, {@code {"type":"error","error":{"type":"overloaded_error","message":"..."}}}, as an
 * HTTP error body or an in-stream {@code error} event, classified once.
 *
 * <p>An HTTP error is classified by its status ({@link UpstreamFailure#ofStatus}): 400 and 413 (a prompt
 * too long among them) are the request's fault, 429 a rate limit with its {@code retry-after}, 401, 402,
 * 403 and 404 the gateway's setup, 500, 504 and 529 (overloaded) the provider's trouble. An in-stream
 * error has no status of its own, so its {@code error.type} stands for the status Anthropic gives that
 * type, and is reported as the provider's code. Stateless.
 */
final class AnthropicErrors {
    static final String GENERIC_MESSAGE = "Provider returned error";

    private AnthropicErrors() {}

    /** The provider's message from an error body, or a generic one when it has none. */
    static String message(JsonNode body) {
        JsonNode message = body.path("error").path("message");
        return message.isTextual() && !message.asText().isBlank() ? message.asText() : GENERIC_MESSAGE;
    }

    /** An error answered with an HTTP error status. */
    static UpstreamException ofStatus(
            int status, JsonNode body, String providerName, @Nullable String raw, @Nullable Duration retryAfter) {
        return new UpstreamException(
                UpstreamFailure.ofStatus(status), providerName, status, message(body), raw, retryAfter);
    }

    /** An {@code error} event inside a stream that began with 200. */
    static UpstreamException inBand(JsonNode event, String providerName, @Nullable String raw) {
        String type = event.path("error").path("type").asText("api_error");
        int status = statusOf(type);
        return new UpstreamException(
                UpstreamFailure.ofStatus(status), providerName, status, type, message(event), raw, null);
    }

    /** The HTTP status Anthropic documents for an error type; an unknown type counts as a server error. */
    static int statusOf(String type) {
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }
}
