package dev.switchboard.core.routing.names;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code routing.model_aliases}: a regular expression that a requested model id must match
 * whole, and the model id to use instead, which may take the pattern's groups ({@code $1},
 * {@code ${name}}; see {@link AliasReplacement}). Compiled once, at load.
 *
 * <p>A match reads the id at most {@link #READ_BUDGET} times (see {@link BoundedText}); a pattern that
 * needs more on some id fails that request with 400 rather than hold its thread. Two aliases are equal
 * when their pattern and model are written the same. Immutable and thread-safe.
 */
public final class ModelAlias {
    /** The longest pattern and replacement accepted, in characters. */
    public static final int MAX_TEXT = 1_000;
    /** Reads of the id one match may make: quadratic backtracking over a 1,000-character id fits. */
    static final long READ_BUDGET = 1_000_000;

    private final String pattern;
    private final String model;
    private final Pattern compiled;
    private final AliasReplacement replacement;

    private ModelAlias(String pattern, String model, Pattern compiled, AliasReplacement replacement) {
        this.pattern = pattern;
        this.model = model;
        this.compiled = compiled;
        this.replacement = replacement;
    }

    /** Why an alias cannot be compiled: the field at fault ({@code pattern} or {@code model}) and the reason. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;

        Invalid(String field, String reason) {
            super(reason);
            this.field = field;
        }

        /** {@code pattern} or {@code model}. */
        public String field() {
            return field;
        }
    }

    /**
     * Compiles an alias.
     *
     * @param pattern a Java regular expression the whole requested id must match
     * @param model   the model id to use instead, with group references
     * @throws Invalid saying which field is wrong and why, in words fit for a configuration problem
     */
    public static ModelAlias compile(String pattern, String model) {
        if (pattern.isEmpty() || pattern.length() > MAX_TEXT) {
            throw new Invalid("pattern", "must be 1 to " + MAX_TEXT + " characters");
        }
        if (model.isBlank() || model.length() > MAX_TEXT) {
            throw new Invalid("model", "must be 1 to " + MAX_TEXT + " characters");
        }
        if (model.indexOf('?') >= 0 || model.chars().anyMatch(Character::isWhitespace)) {
            throw new Invalid("model", "must be a model id, without '?' parameters or spaces");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new Invalid(
                    "pattern",
                    "is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
        try {
            return new ModelAlias(pattern, model, compiled, AliasReplacement.compile(model, compiled));
        } catch (IllegalArgumentException e) {
            throw new Invalid("model", String.valueOf(e.getMessage()));
        }
    }

    /** The expression as written in the configuration. */
    public String pattern() {
        return pattern;
    }

    /** The replacement as written in the configuration. */
    public String model() {
        return model;
    }

    /**
     * The aliased id when the whole of {@code id} matches the pattern, else empty.
     *
     * @throws BoundedText.BudgetExceeded when the match needs more than its read budget
     */
    Optional<String> apply(String id) {
        Matcher matcher = compiled.matcher(new BoundedText(id, READ_BUDGET));
        return matcher.matches() ? Optional.of(replacement.expand(matcher)) : Optional.empty();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ModelAlias alias && alias.pattern.equals(pattern) && alias.model.equals(model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pattern, model);
    }

    @Override
    public String toString() {
        return "ModelAlias[" + pattern + " -> " + model + "]";
    }
}
