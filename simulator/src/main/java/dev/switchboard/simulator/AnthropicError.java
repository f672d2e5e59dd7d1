package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * An error in Anthropic's envelope, {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}},
 * as an HTTP error body or an in-stream {@code error} event. Messages are fixed simulator text and never
 * echo request content.
 *
 * @param status  HTTP status
 * @param type    Anthropic's error type, e.g. {@code overloaded_error}
 * @param message human-readable message
 */
record AnthropicError(int status, String type, String message) {

    static AnthropicError invalidRequest(String message) {
        return new AnthropicError(400, "invalid_request_error", message);
    }

    /** The error type Anthropic gives a status. */
    static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    /** The status Anthropic gives an error type; an unknown type is a server error. */
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

    /** The body an upstream in trouble would send for {@code status}, marked as simulated. */
    static AnthropicError simulated(int status) {
        return new AnthropicError(
                status, typeOf(status), "Simulated HTTP " + status + " from the Switchboard upstream simulator.");
    }

    /** A request the OpenAI-side checks refused (a bad simulator control, say), in Anthropic's envelope. */
    static AnthropicError of(OpenAiError error) {
        return new AnthropicError(error.status(), typeOf(error.status()), error.message());
    }

    byte[] toJson(String requestId) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        root.put("request_id", requestId);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
