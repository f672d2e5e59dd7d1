package dev.switchboard.core.routing;

import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.error.Availability;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ProviderPreferences;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Today's planner: every usable endpoint of the model, cheapest first.
 *
 * <p>Design note. Endpoints are filtered by the request's {@code provider.only} and
 * {@code provider.ignore} (nothing left: 404 {@code no_endpoints}), then by provider availability
 * (nothing left: 503), then ordered: slugs in {@code provider.order} first in that order, the rest by
 * blended price (prompt + completion), catalog order breaking ties. The first is tried first; the
 * others are the fallbacks the request path moves on to when an attempt fails before answering.
 */
public final class CheapestEndpointPlanner implements RoutePlanner {
    private final Supplier<Catalog> catalog;

    public CheapestEndpointPlanner(Supplier<Catalog> catalog) {
        this.catalog = catalog;
    }

    @Override
    public RoutePlan plan(ChatRequest request) {
        Catalog snapshot = catalog.get();
        Model model =
                snapshot.model(request.model()).orElseThrow(() -> GatewayException.modelNotFound(request.model()));
        List<Endpoint> allowed = allowedEndpoints(model, request.provider());
        if (allowed.isEmpty()) {
            throw GatewayException.unavailable(
                    ErrorType.NOT_FOUND,
                    "No endpoints found for " + model.id() + " matching the request's provider preferences",
                    new Availability("no_endpoints", false, List.of(model.id())));
        }
        List<Attempt> usable = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Endpoint endpoint : allowed) {
            Provider provider = snapshot.provider(endpoint.providerSlug()).orElseThrow();
            if (provider.available()) {
                usable.add(new Attempt(model, endpoint, provider));
            } else {
                reasons.add(
                        provider.slug() + ": " + provider.unavailableReason().orElseThrow());
            }
        }
        if (usable.isEmpty()) {
            throw GatewayException.unavailable(
                    ErrorType.PROVIDER_OVERLOADED,
                    "No provider is available for " + model.id() + " (" + String.join("; ", reasons) + ")",
                    new Availability("no_available_provider", false, List.of(model.id())));
        }
        usable.sort(order(request.provider()));
        return new RoutePlan(usable);
    }

    private static List<Endpoint> allowedEndpoints(Model model, ProviderPreferences prefs) {
        List<Endpoint> out = new ArrayList<>(model.endpoints().size());
        for (Endpoint endpoint : model.endpoints()) {
            String slug = endpoint.providerSlug();
            boolean listed = prefs.only().isEmpty() || prefs.only().contains(slug);
            if (listed && !prefs.ignore().contains(slug)) {
                out.add(endpoint);
            }
        }
        return out;
    }

    private static Comparator<Attempt> order(ProviderPreferences prefs) {
        Comparator<Attempt> byPreference = Comparator.comparingInt(a -> {
            int index = prefs.order().indexOf(a.provider().slug());
            return index < 0 ? Integer.MAX_VALUE : index;
        });
        return byPreference.thenComparing(a -> a.endpoint().pricing().blended());
    }
}
