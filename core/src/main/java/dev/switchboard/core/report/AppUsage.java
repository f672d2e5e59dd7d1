package dev.switchboard.core.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One app's use of the gateway over a period, for the app rankings.
 *
 * @param app        the app's identity, its referer (see {@link AppIdentity})
 * @param title      the title it was last sent with
 * @param categories its categories, the first it was given, at most {@value AppIdentity#MAX_CATEGORIES}
 */
public record AppUsage(
        String app,
        Optional<String> title,
        List<String> categories,
        long requests,
        long promptTokens,
        long completionTokens) {
    public AppUsage {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(title, "title");
        categories = List.copyOf(categories);
    }

    /** Prompt and completion tokens: what apps are ranked by. */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
