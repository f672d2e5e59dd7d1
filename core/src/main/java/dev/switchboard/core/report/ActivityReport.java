package dev.switchboard.core.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns stored activity rows (one per day, workspace, key and endpoint) into {@code GET /activity}'s
 * items (one per day and endpoint, or per day, workspace and endpoint), adding money exactly. Done here
 * rather than in each storage backend so that every backend reports the same way.
 *
 * <p>Items come newest day first, then by model, provider and workspace, so that the order is the same
 * on every call. An item's provider name is that of its rows (a provider's display name, which only
 * the configuration changes; should rows disagree, the last one read wins).
 */
public final class ActivityReport {
    private static final Comparator<ActivityItem> ORDER = Comparator.comparing(ActivityItem::date)
            .reversed()
            .thenComparing(ActivityItem::model)
            .thenComparing(ActivityItem::providerSlug)
            .thenComparing(item -> item.workspaceId().orElse(""));

    private ActivityReport() {}

    /** The rows' items; {@code byWorkspace} splits each item per workspace and names it. */
    public static List<ActivityItem> items(List<ActivityRow> rows, boolean byWorkspace) {
        Map<Group, ActivityItem> items = new LinkedHashMap<>();
        for (ActivityRow row : rows) {
            Optional<String> workspace = byWorkspace ? Optional.of(row.workspaceId()) : Optional.empty();
            items.merge(
                    new Group(row, workspace),
                    new ActivityItem(
                            row.date(), row.model(), row.providerSlug(), row.providerName(), workspace, row.counts()),
                    (a, b) -> new ActivityItem(
                            a.date(),
                            a.model(),
                            a.providerSlug(),
                            b.providerName(),
                            workspace,
                            a.counts().plus(b.counts())));
        }
        List<ActivityItem> sorted = new ArrayList<>(items.values());
        sorted.sort(ORDER);
        return sorted;
    }

    /** What an item is per. */
    private record Group(LocalDate date, String model, String providerSlug, Optional<String> workspaceId) {
        Group(ActivityRow row, Optional<String> workspaceId) {
            this(row.date(), row.model(), row.providerSlug(), workspaceId);
        }
    }
}
