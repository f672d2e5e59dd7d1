package dev.switchboard.model.chat;

import java.util.Objects;

/**
 * A body in a wire format, as parsed by the code that speaks it: kept beside the canonical records so
 * that code of the same wire format can send it on with only the edits it needs (the pass-through
 * lane). The value's type is the business of that code (a JSON tree, say); nothing else looks inside.
 * The value must not be changed once wrapped: whoever edits it edits a copy.
 */
public record WireBody(WireFormat format, Object value) {
    public WireBody {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(value, "value");
    }

    /** The value, when it is in {@code wanted} format and of {@code type}. */
    public <T> java.util.Optional<T> as(WireFormat wanted, Class<T> type) {
        return format.equals(wanted) && type.isInstance(value)
                ? java.util.Optional.of(type.cast(value))
                : java.util.Optional.empty();
    }
}
