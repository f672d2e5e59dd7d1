package dev.switchboard.core.storage;

import dev.switchboard.core.report.ActivityQuery;
import dev.switchboard.core.report.ActivityRow;
import dev.switchboard.core.report.AppUsage;
import java.time.LocalDate;
import java.util.List;

/**
 * The aggregates reports read, kept up by {@link GenerationStore#insertAll} in the transaction that
 * stores the records: activity per UTC day, workspace, key and endpoint, and each app's tokens per UTC
 * day with its title and categories. A report's cost grows with the number of aggregate rows it covers,
 * never with the number of records. A record is in them once it is stored. Thread-safe; failures are
 * thrown as {@link StorageException}.
 */
public interface ReportStore {
    /**
     * The activity rows of the query's days, workspace and key, in no particular order. A record counts
     * in the row of its creation's UTC day, its key and workspace, its model and its provider; a record
     * that never reached a provider is in none.
     */
    List<ActivityRow> activity(ActivityQuery query);

    /**
     * The apps that made requests from {@code first} to {@code last} (UTC days, both included), most
     * prompt and completion tokens first (ties by app), at most {@code limit}.
     *
     * @throws IllegalArgumentException when {@code last} is before {@code first} or {@code limit < 1}
     */
    List<AppUsage> apps(LocalDate first, LocalDate last, int limit);
}
