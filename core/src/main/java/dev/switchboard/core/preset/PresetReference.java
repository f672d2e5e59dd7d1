package dev.switchboard.core.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.util.Map;
import java.util.Optional;

/**
 * The preset a chat-completions body names, in one of OpenRouter's three ways: {@code "model":
 * "@preset/slug"} (the preset's own model is used), {@code "model": "author/model@preset/slug"} (that
 * model with the preset's other settings), or {@code "preset": "slug"} next to a model.
 */
record PresetReference(String slug) {
    static final String MARKER = "@preset/";

    /** True for a model id that names a preset. */
    static boolean namesPreset(JsonNode model) {
        return model != null && model.isTextual() && model.textValue().contains(MARKER);
    }

    /**
     * Takes the reference out of the body: {@code preset} is removed, and a model id loses its
     * {@code @preset/} part ({@code model} is removed when nothing is left of it).
     *
     * @throws GatewayException 400 for a slug that is not valid, a {@code preset} that is not a string, or
     *                          two different presets named at once
     */
    static Optional<PresetReference> take(ObjectNode body) {
        Optional<String> byModel = fromModel(body);
        Optional<String> byField = fromField(body);
        if (byModel.isPresent() && byField.isPresent() && !byModel.get().equals(byField.get())) {
            throw new GatewayException(
                    ErrorType.INVALID_REQUEST,
                    "The request names two presets, one in `model` and another in `preset`; name one",
                    Map.of("param", "preset"));
        }
        return byModel.or(() -> byField).map(PresetReference::new);
    }

    private static Optional<String> fromModel(ObjectNode body) {
        JsonNode model = body.get("model");
        if (!namesPreset(model)) {
            return Optional.empty();
        }
        String id = model.textValue();
        int at = id.indexOf(MARKER);
        String slug = PresetSlug.check(id.substring(at + MARKER.length()), "model");
        if (at == 0) {
            body.remove("model");
        } else {
            body.put("model", id.substring(0, at));
        }
        return Optional.of(slug);
    }

    private static Optional<String> fromField(ObjectNode body) {
        JsonNode preset = body.remove("preset");
        if (preset == null || preset.isNull()) {
            return Optional.empty();
        }
        if (!preset.isTextual()) {
            throw new GatewayException(
                    ErrorType.INVALID_REQUEST, "`preset` must be a preset's slug", Map.of("param", "preset"));
        }
        return Optional.of(PresetSlug.check(preset.textValue(), "preset"));
    }
}
