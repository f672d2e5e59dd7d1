package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.model.chat.CacheControl;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.MediaSource;
import dev.switchboard.model.chat.RawJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Small conversions between OpenAI JSON and canonical values, shared by the readers and writers of this package. */
final class OpenAiJson {
    private OpenAiJson() {}

    static RawJson raw(JsonNode node) {
        return new RawJson(node.toString());
    }

    static void putRaw(ObjectNode into, String field, RawJson value) {
        into.putRawValue(field, new RawValue(value.text()));
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** Every field of {@code node} not in {@code known}, kept whole. */
    static Extensions extensions(JsonNode node, Set<String> known) {
        if (!node.isObject() || (node.size() <= known.size() && knownOnly(node, known))) {
            return Extensions.NONE;
        }
        Map<String, RawJson> extra = new LinkedHashMap<>();
        node.properties().forEach(field -> {
            if (!known.contains(field.getKey())) {
                extra.put(field.getKey(), raw(field.getValue()));
            }
        });
        return extra.isEmpty() ? Extensions.NONE : new Extensions(extra);
    }

    private static boolean knownOnly(JsonNode node, Set<String> known) {
        for (var names = node.fieldNames(); names.hasNext(); ) {
            if (!known.contains(names.next())) {
                return false;
            }
        }
        return true;
    }

    static void putExtensions(ObjectNode into, Extensions extensions) {
        extensions.fields().forEach((name, value) -> {
            if (!into.has(name)) {
                putRaw(into, name, value);
            }
        });
    }

    static Optional<CacheControl> cacheControl(JsonNode part) {
        JsonNode cache = part.get("cache_control");
        if (cache == null || !cache.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new CacheControl(cache.path("type").asText("ephemeral"), text(cache, "ttl")));
    }

    static void putCacheControl(ObjectNode into, Optional<CacheControl> cache) {
        cache.ifPresent(c -> {
            ObjectNode out = into.putObject("cache_control").put("type", c.type());
            c.ttl().ifPresent(ttl -> out.put("ttl", ttl));
        });
    }

    /** A URL as a media source: a {@code data:} URL is the bytes themselves. */
    static MediaSource source(String url) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String head = comma < 0 ? url.substring(5) : url.substring(5, comma);
            if (comma > 0 && head.endsWith(";base64")) {
                return new MediaSource.Inline(
                        head.substring(0, head.length() - ";base64".length()), url.substring(comma + 1));
            }
        }
        return new MediaSource.Url(url);
    }

    /** A media source as OpenAI wants it in a URL field. */
    static String url(MediaSource source) {
        return switch (source) {
            case MediaSource.Url url -> url.url();
            case MediaSource.Inline inline -> "data:" + inline.mediaType() + ";base64," + inline.base64();
            case MediaSource.FileId file -> file.id();
        };
    }
}
