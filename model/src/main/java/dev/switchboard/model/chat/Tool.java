package dev.switchboard.model.chat;

import java.util.Objects;
import java.util.Optional;

/** A tool the model may call. */
public sealed interface Tool {
    /**
     * A function the client runs.
     *
     * @param parameters its JSON Schema
     * @param strict     OpenAI's strict schema adherence
     */
    record Function(
            String name,
            Optional<String> description,
            Optional<RawJson> parameters,
            Optional<Boolean> strict,
            Optional<CacheControl> cache,
            Extensions extensions)
            implements Tool {
        public Function {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(strict, "strict");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(extensions, "extensions");
        }
    }

    /**
     * A tool of another type (a provider's built-in web search, a custom grammar tool), kept whole; only
     * the wire format it came in can send it on.
     */
    record Other(String type, RawJson definition) implements Tool {
        public Other {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(definition, "definition");
        }
    }
}
