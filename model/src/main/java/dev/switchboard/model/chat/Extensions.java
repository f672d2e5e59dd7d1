package dev.switchboard.model.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of a wire object that the canonical model has no place for, by name and in the order they
 * came, kept so they can be sent on where the target wire format allows. Immutable.
 */
public record Extensions(Map<String, RawJson> fields) {
    public static final Extensions NONE = new Extensions(Map.of());

    public Extensions {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Optional<RawJson> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** These fields plus one more (replacing one of the same name). */
    public Extensions with(String name, RawJson value) {
        Map<String, RawJson> copy = new LinkedHashMap<>(fields);
        copy.put(name, value);
        return new Extensions(copy);
    }
}
