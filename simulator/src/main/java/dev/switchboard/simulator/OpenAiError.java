package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An error response in OpenAI's envelope:
 * {@code {"error":{"message":…,"type":…,"param":…,"code":…}}}. Messages are fixed simulator
 * text and never echo request content (prompts stay out of responses and logs).
 *
 * @param status  HTTP status
 * @param message human-readable message
 * @param type    OpenAI error type, e.g. {@code invalid_request_error}
 * @param param   the offending request parameter, if any
 * @param code    OpenAI error code, if any
 */
record OpenAiError(int status, String message, String type, Optional<String> param, Optional<String> code) {

    static OpenAiError invalidRequest(String message) {
        return new OpenAiError(400, message, "invalid_request_error", Optional.empty(), Optional.empty());
    }

    static OpenAiError missingParameter(String param) {
        return new OpenAiError(
                400,
                "Missing required parameter: '" + param + "'.",
                "invalid_request_error",
                Optional.of(param),
                Optional.of("missing_required_parameter"));
    }

    static OpenAiError invalidParameter(String param, String message) {
        return new OpenAiError(400, message, "invalid_request_error", Optional.of(param), Optional.of("invalid_value"));
    }

    /** What OpenAI answers for a path it does not serve. */
    static OpenAiError unknownUrl(String method, String path) {
        return new OpenAiError(
                404,
                "Invalid URL (" + method + " " + path + ")",
                "invalid_request_error",
                Optional.empty(),
                Optional.empty());
    }

    /** The body an upstream in trouble would send for {@code status}, marked as simulated. */
    static OpenAiError simulated(int status) {
        String message = "Simulated HTTP " + status + " from the Switchboard upstream simulator.";
        return switch (status) {
            case 401 ->
                new OpenAiError(
                        status, message, "invalid_request_error", Optional.empty(), Optional.of("invalid_api_key"));
            case 404 ->
                new OpenAiError(
                        status, message, "invalid_request_error", Optional.empty(), Optional.of("model_not_found"));
            // OpenAI's type names the limit that was hit (requests or tokens per minute).
            case 429 ->
                new OpenAiError(status, message, "requests", Optional.empty(), Optional.of("rate_limit_exceeded"));
            default ->
                status >= 500
                        ? new OpenAiError(status, message, "server_error", Optional.empty(), Optional.empty())
                        : new OpenAiError(status, message, "invalid_request_error", Optional.empty(), Optional.empty());
        };
    }

    byte[] toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param.orElse(null));
        error.put("code", code.orElse(null));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
