package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Where a request's simulator controls come from: the {@code "simulator"} object in the body,
 * then {@code X-Sim-*} headers. For every control the body wins; the header is read only when
 * the body does not name that control. Header names are derived from the body keys:
 * {@code fault_after_tokens} is {@code X-Sim-Fault-After-Tokens}.
 *
 * <p>Invalid values are rejected with a 400 naming the control, never silently ignored.
 */
final class ControlSource {

    static final String BODY_FIELD = "simulator";

    private final JsonNode body;
    private final Function<String, Optional<String>> headers;

    private ControlSource(JsonNode body, Function<String, Optional<String>> headers) {
        this.body = body;
        this.headers = headers;
    }

    /**
     * @param requestBody the whole chat request
     * @param headers     looks a request header up by name, case-insensitively
     */
    static ControlSource of(JsonNode requestBody, Function<String, Optional<String>> headers) {
        JsonNode controls = requestBody.path(BODY_FIELD);
        if (!controls.isMissingNode() && !controls.isNull() && !controls.isObject()) {
            throw new RequestRejected(OpenAiError.invalidParameter(
                    BODY_FIELD, "'simulator' must be a JSON object of simulator controls."));
        }
        return new ControlSource(controls.isObject() ? controls : MissingNode.getInstance(), headers);
    }

    static String headerName(String key) {
        StringBuilder name = new StringBuilder("X-Sim");
        for (String part : key.split("_", -1)) {
            name.append('-').append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    OptionalLong whole(String key, long min, long max) {
        Optional<String> raw = raw(key);
        if (raw.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(raw.get().trim());
            if (value >= min && value <= max) {
                return OptionalLong.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below, with the valid range
        }
        throw rejected(key, "must be an integer in [" + min + ", " + max + "]");
    }

    Optional<Duration> millis(String key, long maxMillis) {
        OptionalLong value = whole(key, 0, maxMillis);
        return value.isPresent() ? Optional.of(Duration.ofMillis(value.getAsLong())) : Optional.empty();
    }

    Optional<Boolean> flag(String key) {
        return raw(key).map(value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw rejected(key, "must be true or false");
        });
    }

    Optional<String> text(String key) {
        return raw(key).map(String::trim);
    }

    RequestRejected rejected(String key, String problem) {
        return new RequestRejected(OpenAiError.invalidParameter(
                BODY_FIELD + "." + key,
                "Simulator control '" + key + "' (header " + headerName(key) + ") " + problem + "."));
    }

    private Optional<String> raw(String key) {
        JsonNode value = body.path(key);
        if (value.isValueNode() && !value.isNull()) {
            return Optional.of(value.asText());
        }
        if (!value.isMissingNode() && !value.isNull()) {
            throw rejected(key, "must be a JSON scalar");
        }
        return headers.apply(headerName(key));
    }
}
