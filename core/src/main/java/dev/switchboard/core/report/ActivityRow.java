package dev.switchboard.core.report;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One stored row of activity: what one key spent on one endpoint (provider and model) on one UTC day.
 *
 * @param providerName the provider's display name when the row was last added to
 */
public record ActivityRow(
        LocalDate date,
        String workspaceId,
        String keyHash,
        String model,
        String providerSlug,
        String providerName,
        ActivityCounts counts) {
    public ActivityRow {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(providerSlug, "providerSlug");
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(counts, "counts");
    }
}
