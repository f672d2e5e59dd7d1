package dev.switchboard.core.report;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of {@code GET /activity}: one endpoint's activity on one UTC day, over every key asked for,
 * and over every workspace unless the report is split by workspace.
 *
 * @param workspaceId present only when the report is split by workspace
 */
public record ActivityItem(
        LocalDate date,
        String model,
        String providerSlug,
        String providerName,
        Optional<String> workspaceId,
        ActivityCounts counts) {
    public ActivityItem {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(providerSlug, "providerSlug");
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(counts, "counts");
    }

    /** OpenRouter's {@code endpoint_id}: here the provider's slug and the model, as in {@code provider_responses}. */
    public String endpointId() {
        return providerSlug + ":" + model;
    }
}
