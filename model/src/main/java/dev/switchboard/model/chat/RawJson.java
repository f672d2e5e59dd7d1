package dev.switchboard.model.chat;

import java.util.Objects;

/**
 * A JSON value kept as the text it arrived as: a schema, a provider-specific field, anything the model
 * carries without interpreting. Numbers in it keep their exact digits.
 *
 * @param text one complete JSON value
 */
public record RawJson(String text) {
    public RawJson {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text;
    }
}
