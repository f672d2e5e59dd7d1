package dev.switchboard.core.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every provider and model the gateway knows. Lookups are hash-map reads;
 * share one instance across threads freely and replace it whole to reload.
 */
public final class Catalog {
    private final Map<String, Provider> providers;
    private final Map<String, Model> models;

    public Catalog(List<Provider> providers, List<Model> models) {
        Map<String, Provider> bySlug = new LinkedHashMap<>();
        providers.forEach(p -> bySlug.put(p.slug(), p));
        Map<String, Model> byId = new LinkedHashMap<>();
        models.forEach(m -> byId.put(m.id(), m));
        this.providers = java.util.Collections.unmodifiableMap(bySlug);
        this.models = java.util.Collections.unmodifiableMap(byId);
    }

    public Optional<Model> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public Optional<Provider> provider(String slug) {
        return Optional.ofNullable(providers.get(slug));
    }

    /** Models in catalog order. */
    public Collection<Model> models() {
        return models.values();
    }

    /** Providers in catalog order. */
    public Collection<Provider> providers() {
        return providers.values();
    }
}
