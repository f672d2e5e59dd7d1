package dev.switchboard.core.config;

import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.routing.names.ModelAlias;
import dev.switchboard.core.routing.names.ModelNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the settings of {@code routing:} that decide which model and provider a request gets before
 * the planner sees it: {@code model_aliases}, {@code force_model} and {@code default_provider}, each
 * checked against the catalog already read, so that a typo fails the start rather than every request.
 */
final class ModelNamesReader {
    private static final Set<String> ALIAS_KEYS = Set.of("pattern", "model");
    /** A model id without routing syntax ({@code :variant}, {@code ~alias}, {@code @preset}): one the catalog must have. */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    /** Authors whose ids name routers, which pick a model per request and are not catalog entries. */
    private static final List<String> ROUTER_AUTHORS = List.of("openrouter/", "switchboard/");

    private static final int MAX_ID = 256;

    private ModelNamesReader() {}

    /** {@code model_aliases}: a list of {@code {pattern, model}}, compiled; a bad entry is a problem at its path. */
    static List<ModelAlias> aliases(ConfigNode routing) {
        List<ConfigNode> items = routing.items("model_aliases");
        if (items.size() > ModelNames.MAX_ALIASES) {
            routing.problem(
                    "model_aliases", "at most " + ModelNames.MAX_ALIASES + " aliases (found " + items.size() + ")");
            return List.of();
        }
        List<ModelAlias> aliases = new ArrayList<>(items.size());
        for (ConfigNode item : items) {
            item.onlyKeys(ALIAS_KEYS);
            Optional<String> pattern = item.requiredString("pattern");
            Optional<String> model = item.requiredString("model");
            if (pattern.isPresent() && model.isPresent()) {
                try {
                    aliases.add(ModelAlias.compile(pattern.get(), model.get()));
                } catch (ModelAlias.Invalid e) {
                    item.problem(e.field(), String.valueOf(e.getMessage()));
                }
            }
        }
        return aliases;
    }

    /**
     * {@code force_model}: a model id without URI parameters. A plain {@code author/slug} must be in the
     * catalog; ids with routing syntax (variants, {@code ~} aliases, routers, presets) are resolved per
     * request.
     */
    static Optional<String> forceModel(ConfigNode routing, List<Model> models) {
        Optional<String> forced = routing.string("force_model");
        if (forced.isEmpty()) {
            return forced;
        }
        String id = forced.get();
        if (id.isBlank() || id.length() > MAX_ID || id.chars().anyMatch(Character::isWhitespace)) {
            routing.problem("force_model", "must be a model id of 1 to " + MAX_ID + " characters without spaces");
            return Optional.empty();
        }
        if (id.indexOf('?') >= 0) {
            routing.problem("force_model", "must be a model id without '?' parameters");
            return Optional.empty();
        }
        boolean router = ROUTER_AUTHORS.stream().anyMatch(id::startsWith);
        if (PLAIN_ID.matcher(id).matches() && !router && models.stream().noneMatch(m -> m.id().equals(id))) {
            routing.problem("force_model", "no model '" + id + "' is in the catalog");
            return Optional.empty();
        }
        return forced;
    }

    /** {@code default_provider}: the slug of a defined provider, or {@code slug/tag} for one of its endpoints. */
    static Optional<String> defaultProvider(ConfigNode routing, Map<String, Provider> providers) {
        Optional<String> slug = routing.string("default_provider");
        if (slug.isEmpty()) {
            return slug;
        }
        int slash = slug.get().indexOf('/');
        String provider = slash < 0 ? slug.get() : slug.get().substring(0, slash);
        if (!providers.containsKey(provider)) {
            routing.problem("default_provider", "no provider with slug '" + provider + "' is defined");
            return Optional.empty();
        }
        return slug;
    }
}
