package dev.switchboard.server.byok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.byok.ByokKey;
import java.util.List;
import java.util.Optional;

/**
 * BYOK credentials in OpenRouter's {@code BYOKKey} shape, with Switchboard's {@code always_use} and
 * {@code updated_at} beside its fields. Only the masked {@code label} says anything of the secret.
 * {@code allowed_user_ids} is always null: this gateway has no users.
 */
final class ByokRenderer {
    private ByokRenderer() {}

    static ObjectNode key(ByokKey key) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", key.id());
        out.put("provider", key.provider());
        out.put("workspace_id", key.workspaceId());
        out.put("label", key.label());
        out.put("name", key.name().orElse(null));
        out.put("disabled", key.disabled());
        out.put("is_fallback", key.fallback());
        out.put("always_use", key.alwaysUse());
        putList(out, "allowed_models", key.allowedModels());
        putList(out, "allowed_api_key_hashes", key.allowedKeyHashes());
        out.putNull("allowed_user_ids");
        out.put("sort_order", key.sortOrder());
        out.put("created_at", key.createdAt().toString());
        out.put("updated_at", key.updatedAt().toString());
        return out;
    }

    static ObjectNode data(ObjectNode value) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("data", value);
        return out;
    }

    static ObjectNode list(List<ByokKey> keys, int total) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode data = out.putArray("data");
        keys.forEach(k -> data.add(key(k)));
        out.put("total_count", total);
        return out;
    }

    private static void putList(ObjectNode out, String field, Optional<List<String>> list) {
        if (list.isEmpty()) {
            out.putNull(field);
        } else {
            list.get().forEach(out.putArray(field)::add);
        }
    }
}
