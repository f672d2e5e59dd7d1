package dev.switchboard.model.chat;

import java.util.Objects;
import java.util.Optional;

/** The shape the answer must take. */
public sealed interface ResponseFormat {
    /** Free text (the default). */
    record Text() implements ResponseFormat {}

    /** Any JSON object (OpenAI's JSON mode). */
    record JsonObject() implements ResponseFormat {}

    /** JSON matching a schema (structured outputs). */
    record JsonSchema(String name, Optional<String> description, Optional<RawJson> schema, Optional<Boolean> strict)
            implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(strict, "strict");
        }
    }
}
