package dev.switchboard.core.storage;

import java.util.Objects;

/**
 * Something wrong with the storage as a whole that the gateway cannot repair by itself, reported by
 * {@link Storage#problem()} for the health check.
 *
 * @param code    stable identifier, e.g. {@code database_file_missing}
 * @param summary one sentence for {@code GET /health}, without paths (those are in the log)
 */
public record StorageProblem(String code, String summary) {
    public StorageProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(summary, "summary");
    }
}
