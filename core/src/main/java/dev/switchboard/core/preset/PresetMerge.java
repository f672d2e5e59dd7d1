package dev.switchboard.core.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Applies a preset to a chat-completions request body, in place, before the body is read.
 *
 * <p>Design note. What the request says wins. A field the request sets keeps the request's value whole
 * (a request's {@code provider} object replaces the preset's; the two are not merged), and a field it
 * does not set, or sets to {@code null}, takes the preset's. Two pairs of fields are one setting each,
 * so a request that sets either field of a pair keeps the preset's pair out: {@code max_tokens} and
 * {@code max_completion_tokens}, {@code reasoning} and {@code reasoning_effort}. {@code model} and
 * {@code models} are two fields: a request naming only a model still gets the preset's fallback list
 * after it, and a request with {@code "model": "@preset/slug"} and a {@code models} list has the
 * preset's model tried first.
 *
 * <p>Tools are unioned rather than replaced. A tool's identity is its function name for a function
 * tool, its type and {@code parameters.name} for a server tool that has one (OpenRouter's advisor and
 * subagent), else its type. The preset's tools come first in their order, each replaced in place by the
 * request's tool of the same identity; the request's other tools follow in theirs.
 *
 * <p>The preset's system prompt becomes the first message, unless the request has a system or developer
 * message of its own: the request's instructions win, as its fields do. (Concatenating the two would
 * give the model instructions that nobody wrote together.) A body with a bare {@code prompt} and no
 * {@code messages} is turned into messages first, as the dialect would.
 */
final class PresetMerge {
    private static final List<Set<String>> PAIRED =
            List.of(Set.of("max_tokens", "max_completion_tokens"), Set.of("reasoning", "reasoning_effort"));

    private PresetMerge() {}

    static void apply(ObjectNode body, ActivePreset preset) {
        preset.config().properties().forEach(field -> {
            String name = field.getKey();
            if (name.equals("tools")) {
                unionTools(body, field.getValue());
            } else if (!setsAnyOf(body, partners(name))) {
                body.set(name, field.getValue().deepCopy());
            }
        });
        preset.systemPrompt().ifPresent(prompt -> addSystemPrompt(body, prompt));
    }

    /** True for a message whose role gives instructions: {@code system} or {@code developer}. */
    static boolean isSystemMessage(JsonNode message) {
        String role = message.path("role").asText();
        return role.equals("system") || role.equals("developer");
    }

    private static Set<String> partners(String name) {
        for (Set<String> pair : PAIRED) {
            if (pair.contains(name)) {
                return pair;
            }
        }
        return Set.of(name);
    }

    private static boolean setsAnyOf(ObjectNode body, Set<String> names) {
        for (String name : names) {
            JsonNode value = body.get(name);
            if (value != null && !value.isNull()) {
                return true;
            }
        }
        return false;
    }

    private static void unionTools(ObjectNode body, JsonNode presetTools) {
        JsonNode requestTools = body.get("tools");
        if (requestTools == null || requestTools.isNull()) {
            body.set("tools", presetTools.deepCopy());
            return;
        }
        if (!requestTools.isArray() || !presetTools.isArray()) {
            return; // the request's own value stands, and the dialect says what is wrong with it
        }
        Map<String, JsonNode> requestByIdentity = new HashMap<>();
        for (JsonNode tool : requestTools) {
            String identity = identity(tool);
            if (identity != null) {
                requestByIdentity.putIfAbsent(identity, tool);
            }
        }
        ArrayNode union = JsonNodeFactory.instance.arrayNode(presetTools.size() + requestTools.size());
        // by identity: two equal request tools are still two tools
        Set<JsonNode> placed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (JsonNode tool : presetTools) {
            String identity = identity(tool);
            JsonNode replacement = identity == null ? null : requestByIdentity.get(identity);
            if (replacement != null && placed.add(replacement)) {
                union.add(replacement);
            } else if (replacement == null) {
                union.add(tool.deepCopy());
            }
        }
        for (JsonNode tool : requestTools) {
            if (!placed.contains(tool)) {
                union.add(tool);
            }
        }
        body.set("tools", union);
    }

    /** What makes two tools the same tool; null for something that is not a tool object. */
    private static @Nullable String identity(JsonNode tool) {
        if (!tool.isObject() || !tool.path("type").isTextual()) {
            return null;
        }
        String type = tool.get("type").textValue();
        if (type.equals("function")) {
            JsonNode name = tool.path("function").path("name");
            return name.isTextual() ? "function:" + name.textValue() : null;
        }
        JsonNode name = tool.path("parameters").path("name");
        return name.isTextual() ? type + ":" + name.textValue() : type;
    }

    private static void addSystemPrompt(ObjectNode body, String prompt) {
        JsonNode messages = body.get("messages");
        if ((messages == null || messages.isNull()) && body.path("prompt").isTextual()) {
            ArrayNode converted = body.putArray("messages");
            converted
                    .addObject()
                    .put("role", "user")
                    .put("content", body.remove("prompt").textValue());
            messages = converted;
        }
        if (!(messages instanceof ArrayNode list)) {
            return; // no messages to add to: the dialect refuses the body
        }
        for (JsonNode message : list) {
            if (isSystemMessage(message)) {
                return;
            }
        }
        list.insert(
                0, JsonNodeFactory.instance.objectNode().put("role", "system").put("content", prompt));
    }
}
