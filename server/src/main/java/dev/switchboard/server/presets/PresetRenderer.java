package dev.switchboard.server.presets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.preset.DesignatedPreset;
import dev.switchboard.core.preset.Preset;
import dev.switchboard.core.preset.PresetRegistry;
import dev.switchboard.core.preset.PresetVersion;
import dev.switchboard.core.storage.Page;

/**
 * Renders presets in OpenRouter's shapes: {@code Preset}, {@code PresetDesignatedVersion} and
 * {@code PresetWithDesignatedVersion}. There are no users or workspaces: {@code creator_user_id} is null,
 * a version's {@code creator_id} is the hash of the management key that made it, and every preset is in
 * the one implicit workspace, as keys are. A version is never changed, so its {@code updated_at} is its
 * {@code created_at}.
 */
final class PresetRenderer {
    static final String WORKSPACE = "default";
    private final PresetRegistry presets;

    PresetRenderer(PresetRegistry presets) {
        this.presets = presets;
    }

    ObjectNode preset(Preset p) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", p.id());
        out.putNull("creator_user_id");
        out.put("workspace_id", WORKSPACE);
        out.put("name", p.name());
        out.put("slug", p.slug());
        out.putNull("description");
        out.put("status", p.status().wireName());
        out.put("designated_version_id", p.designatedVersionId());
        out.put("created_at", p.createdAt().toString());
        out.put("updated_at", p.updatedAt().toString());
        out.putNull("status_updated_at");
        return out;
    }

    ObjectNode withDesignatedVersion(DesignatedPreset designated) {
        ObjectNode out = preset(designated.preset());
        out.set("designated_version", version(designated.version()));
        return out;
    }

    ObjectNode version(PresetVersion v) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", v.id());
        out.put("preset_id", v.presetId());
        out.put("creator_id", v.creatorId());
        out.put("version", v.number());
        out.put("system_prompt", v.systemPrompt().orElse(null));
        out.set("config", presets.config(v));
        out.put("created_at", v.createdAt().toString());
        out.put("updated_at", v.createdAt().toString());
        return out;
    }

    static ObjectNode data(ObjectNode value) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("data", value);
        return out;
    }

    static <T> ObjectNode list(Page<T> page, java.util.function.Function<T, ObjectNode> render) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode data = out.putArray("data");
        page.items().forEach(item -> data.add(render.apply(item)));
        out.put("total_count", page.totalCount());
        return out;
    }
}
