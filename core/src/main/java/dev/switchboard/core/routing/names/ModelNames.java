package dev.switchboard.core.routing.names;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway does to the model ids a client sends before they are resolved: the aliases of
 * {@code routing.model_aliases}, tried in order, the first whose pattern matches the whole id giving
 * the id to use; and {@code routing.force_model}, which replaces every request's model whatever it
 * was. Immutable and thread-safe.
 */
public final class ModelNames {
    /** Aliases at most: each is one regular-expression match per requested model id. */
    public static final int MAX_ALIASES = 100;
    /** Longest id shown back in an error message, in characters. */
    private static final int SHOWN = 100;
    /** No aliases, nothing forced: ids are used as sent. */
    public static final ModelNames NONE = new ModelNames(List.of(), Optional.empty());

    private final List<ModelAlias> aliases;
    private final Optional<String> forced;

    /**
     * @param aliases in the order they are tried, at most {@link #MAX_ALIASES}
     * @param forced  the model every request is given, if any
     */
    public ModelNames(List<ModelAlias> aliases, Optional<String> forced) {
        if (aliases.size() > MAX_ALIASES) {
            throw new IllegalArgumentException("at most " + MAX_ALIASES + " model aliases");
        }
        this.aliases = List.copyOf(aliases);
        this.forced = Objects.requireNonNull(forced, "forced");
    }

    /** Whether ids are used as sent: no alias and no forced model. */
    public boolean identity() {
        return aliases.isEmpty() && forced.isEmpty();
    }

    /** The model every request is given, when {@code routing.force_model} is set. */
    public Optional<String> forced() {
        return forced;
    }

    /**
     * The id to use for {@code id}: the first alias whose pattern matches it whole, else {@code id}.
     *
     * @param field the request field the id came from, named by the error
     * @throws GatewayException 400 when an alias's pattern cannot be matched against {@code id} within
     *                          its read budget
     */
    public String alias(String id, String field) {
        for (ModelAlias alias : aliases) {
            try {
                Optional<String> aliased = alias.apply(id);
                if (aliased.isPresent()) {
                    return aliased.get();
                }
            } catch (BoundedText.BudgetExceeded e) {
                throw new GatewayException(
                        ErrorType.INVALID_REQUEST,
                        "The model id '" + shown(id) + "' could not be matched against the gateway's model alias '"
                                + alias.pattern() + "' within its bounds",
                        Map.of("param", field));
            }
        }
        return id;
    }

    private static String shown(String id) {
        return id.length() <= SHOWN ? id : id.substring(0, SHOWN) + "…";
    }
}
