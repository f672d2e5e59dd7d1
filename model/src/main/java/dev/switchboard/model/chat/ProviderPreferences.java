package dev.switchboard.model.chat;

import java.util.List;
import java.util.Objects;

/**
 * What the client asked of routing (OpenRouter's {@code provider} object). Fields routing does not read
 * yet ride in {@code extensions}.
 *
 * @param only   allow-list of provider slugs; empty means every provider
 * @param ignore deny-list of provider slugs
 * @param order  slugs to try first, in this order
 */
public record ProviderPreferences(List<String> only, List<String> ignore, List<String> order, Extensions extensions) {
    public static final ProviderPreferences NONE =
            new ProviderPreferences(List.of(), List.of(), List.of(), Extensions.NONE);

    public ProviderPreferences {
        only = List.copyOf(only);
        ignore = List.copyOf(ignore);
        order = List.copyOf(order);
        Objects.requireNonNull(extensions, "extensions");
    }
}
