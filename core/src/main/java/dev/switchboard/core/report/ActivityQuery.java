package dev.switchboard.core.report;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Which activity rows to read: the UTC days from {@code first} to {@code last}, both included, at most
 * {@value #MAX_DAYS} of them, optionally of one workspace and of one key.
 */
public record ActivityQuery(LocalDate first, LocalDate last, Optional<String> workspaceId, Optional<String> keyHash) {
    /** The longest span one query reads: the 30 completed days {@code GET /activity} covers, and today. */
    public static final int MAX_DAYS = 31;

    public ActivityQuery {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(keyHash, "keyHash");
        if (last.isBefore(first) || ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new IllegalArgumentException(
                    "a query spans 1 to " + MAX_DAYS + " days, not " + first + " to " + last);
        }
    }
}
