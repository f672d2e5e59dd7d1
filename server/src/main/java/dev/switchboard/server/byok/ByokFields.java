package dev.switchboard.server.byok;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads the fields of a BYOK request body, each strictly typed and bounded; a field that fails is a 400
 * naming it. A refusal never quotes the provider key it read.
 */
final class ByokFields {
    /** The longest provider key taken: bearer keys are far shorter; a larger body is a mistake. */
    static final int MAX_SECRET_CHARS = 4096;
    /** OpenRouter's bound on a credential's name. */
    static final int MAX_NAME_CHARS = 255;
    /** OpenRouter's bound on each allowlist. */
    static final int MAX_LIST = 100;

    static final int MAX_SORT_ORDER = 1_000_000;
    private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/~@+-]{0,199}");
    private static final Pattern KEY_HASH = Pattern.compile("[a-f0-9]{64}");

    private final JsonNode body;

    ByokFields(JsonNode body) {
        this.body = body;
    }

    boolean has(String field) {
        return body.has(field);
    }

    /**
     * The provider key: printable ASCII without spaces (it is sent as a bearer token, so anything else
     * would break or smuggle a header), 1 to {@value #MAX_SECRET_CHARS} characters.
     */
    String secret() {
        JsonNode value = body.get("key");
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw invalid("key", "`key` is required: the provider's API key, a non-empty string");
        }
        String secret = value.textValue();
        if (secret.length() > MAX_SECRET_CHARS) {
            throw invalid("key", "`key` must be at most " + MAX_SECRET_CHARS + " characters");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw invalid(
                        "key",
                        "`key` must be printable ASCII without spaces or line breaks (character " + (i + 1)
                                + " is not)");
            }
        }
        return secret;
    }

    /** The provider field of the body, which must name one of {@code providers}. */
    String provider(List<String> providers) {
        JsonNode value = body.get("provider");
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw invalid("provider", "`provider` is required: " + known(providers));
        }
        return provider(value.textValue(), providers);
    }

    static String provider(String slug, List<String> providers) {
        if (!providers.contains(slug)) {
            throw invalid("provider", "`provider` is not a provider of this gateway; " + known(providers));
        }
        return slug;
    }

    private static String known(List<String> providers) {
        return "the configured providers are " + String.join(", ", providers);
    }

    /** {@code name}: empty when absent; present and empty when null (no name). */
    Optional<Optional<String>> name() {
        JsonNode value = body.get("name");
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNull()) {
            return Optional.of(Optional.empty());
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw invalid("name", "`name` must be a non-empty string or null");
        }
        String name = value.textValue().strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME_CHARS) {
            throw invalid("name", "`name` must be at most " + MAX_NAME_CHARS + " characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid("name", "`name` must not contain control characters");
        }
        return Optional.of(Optional.of(name));
    }

    Optional<Boolean> bool(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw invalid(field, "`" + field + "` must be a boolean");
        }
        return Optional.of(value.booleanValue());
    }

    Optional<Integer> sortOrder() {
        JsonNode value = body.get("sort_order");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber()
                || !value.canConvertToInt()
                || value.intValue() < 0
                || value.intValue() > MAX_SORT_ORDER) {
            throw invalid("sort_order", "`sort_order` must be an integer from 0 to " + MAX_SORT_ORDER);
        }
        return Optional.of(value.intValue());
    }

    /** {@code workspace_id}, else {@code fallback}. */
    String workspace(String fallback) {
        JsonNode value = body.get("workspace_id");
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw invalid("workspace_id", "`workspace_id` must be a string");
        }
        return checkedWorkspace(value.textValue());
    }

    static String checkedWorkspace(String id) {
        if (!WORKSPACE.matcher(id).matches()) {
            throw invalid(
                    "workspace_id",
                    "`workspace_id` must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    /** {@code allowed_models}: empty when absent; present and empty when null (no restriction). */
    Optional<Optional<List<String>>> allowedModels() {
        return list("allowed_models", 0, id -> MODEL_ID.matcher(id).matches(), "model ids");
    }

    /** {@code allowed_api_key_hashes}: like {@link #allowedModels}, at least one hash when given. */
    Optional<Optional<List<String>>> allowedKeyHashes() {
        return list(
                "allowed_api_key_hashes",
                1,
                hash -> KEY_HASH.matcher(hash).matches(),
                "API key hashes (64 lowercase hex characters, as GET /keys shows them)");
    }

    /** {@code allowed_user_ids}: this gateway has no users, so only null (no restriction) is taken. */
    void noUserAllowlist() {
        JsonNode value = body.get("allowed_user_ids");
        if (value != null && !value.isNull()) {
            throw invalid(
                    "allowed_user_ids",
                    "`allowed_user_ids` must be null: this gateway has no users; restrict a key with"
                            + " allowed_api_key_hashes");
        }
    }

    private Optional<Optional<List<String>>> list(String field, int min, Predicate<String> valid, String what) {
        JsonNode value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNull()) {
            return Optional.of(Optional.empty());
        }
        if (!value.isArray() || value.size() < min || value.size() > MAX_LIST) {
            throw invalid(field, "`" + field + "` must be null or a list of " + min + " to " + MAX_LIST + " " + what);
        }
        List<String> items = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual() || !valid.test(item.textValue())) {
                throw invalid(field, "`" + field + "` must list " + what);
            }
            if (!items.contains(item.textValue())) {
                items.add(item.textValue());
            }
        }
        return Optional.of(Optional.of(List.copyOf(items)));
    }

    static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
