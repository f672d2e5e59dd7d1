package dev.switchboard.core.chat;

import java.util.List;

/**
 * The part of the request's {@code provider} object that routing honours today. Other fields of that
 * object are accepted and ignored until the full planner lands.
 *
 * @param only   allow-list of provider slugs; empty means every provider
 * @param ignore deny-list of provider slugs
 * @param order  slugs to try first, in this order
 */
public record ProviderPreferences(List<String> only, List<String> ignore, List<String> order) {
    public static final ProviderPreferences NONE = new ProviderPreferences(List.of(), List.of(), List.of());

    public ProviderPreferences {
        only = List.copyOf(only);
        ignore = List.copyOf(ignore);
        order = List.copyOf(order);
    }
}
