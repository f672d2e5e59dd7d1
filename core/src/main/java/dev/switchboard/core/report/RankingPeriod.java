package dev.switchboard.core.report;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * The calendar periods apps are ranked over, in UTC as the key limits count them: a day, a week from
 * Monday, a month.
 */
public enum RankingPeriod {
    DAY,
    WEEK,
    MONTH;

    /** The period's name in the API: {@code day}, {@code week}, {@code month}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RankingPeriod> parse(String name) {
        for (RankingPeriod period : values()) {
            if (period.wireName().equals(name)) {
                return Optional.of(period);
            }
        }
        return Optional.empty();
    }

    /** The first day of the period that holds {@code date}. */
    public LocalDate first(LocalDate date) {
        return switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
        };
    }

    /** The last day of the period that holds {@code date}. */
    public LocalDate last(LocalDate date) {
        return switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
            case MONTH -> date.with(TemporalAdjusters.lastDayOfMonth());
        };
    }
}
