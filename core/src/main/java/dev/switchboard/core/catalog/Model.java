package dev.switchboard.core.catalog;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model as clients name it ({@code author/slug}) with every endpoint that can serve it.
 * Immutable; endpoints are in catalog order.
 */
public record Model(
        String id,
        String name,
        long created,
        String description,
        long contextLength,
        List<String> inputModalities,
        List<String> outputModalities,
        String tokenizer,
        @Nullable String instructType,
        List<String> supportedParameters,
        List<Endpoint> endpoints) {
    public Model {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(tokenizer, "tokenizer");
        inputModalities = List.copyOf(inputModalities);
        outputModalities = List.copyOf(outputModalities);
        supportedParameters = List.copyOf(supportedParameters);
        endpoints = List.copyOf(endpoints);
    }

    /** The author part of the id ({@code openai} in {@code openai/gpt-4o}). */
    public String author() {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    /** The slug part of the id. */
    public String slug() {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(slash + 1);
    }

    /** The modality string OpenRouter shows, e.g. {@code text+image->text}. */
    public String modality() {
        return String.join("+", inputModalities) + "->" + String.join("+", outputModalities);
    }
}
