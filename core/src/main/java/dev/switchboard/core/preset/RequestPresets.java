package dev.switchboard.core.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the preset a chat-completions request names ({@link PresetReference}) to its body, before the
 * dialect reads it, so that the merged body is what is routed and what the native lane relays
 * ({@link PresetMerge} says how the two combine). A body that names no preset costs two field lookups.
 * A preset that does not exist is a 404: the request names a resource, as {@code GET /presets/{slug}}
 * does, and a client can tell it from a malformed request. Thread-safe.
 */
public final class RequestPresets {
    private final PresetRegistry presets;

    public RequestPresets(PresetRegistry presets) {
        this.presets = presets;
    }

    /**
     * Applies the named preset to {@code body}, in place.
     *
     * @return the preset applied; empty when the body names none (or is not a JSON object, which the
     *         dialect refuses)
     * @throws GatewayException 404 for an unknown preset; 400 for a malformed reference, or when neither
     *                          the request nor the preset names a model
     */
    public Optional<ActivePreset> apply(JsonNode body) {
        if (!(body instanceof ObjectNode request)) {
            return Optional.empty();
        }
        Optional<PresetReference> reference = PresetReference.take(request);
        if (reference.isEmpty()) {
            return Optional.empty();
        }
        String slug = reference.get().slug();
        ActivePreset preset = presets.active(slug)
                .orElseThrow(() -> new GatewayException(
                        ErrorType.NOT_FOUND, "Preset '" + slug + "' not found", Map.of("preset", slug)));
        PresetMerge.apply(request, preset);
        if (absent(request.get("model")) && absent(request.get("models"))) {
            throw new GatewayException(
                    ErrorType.INVALID_REQUEST,
                    "Preset '" + slug + "' names no model; name one in `model` (author/model@preset/" + slug + ")",
                    Map.of("param", "model"));
        }
        return Optional.of(preset);
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull();
    }
}
