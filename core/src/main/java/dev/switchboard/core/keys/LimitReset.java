package dev.switchboard.core.keys;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Optional;

/**
 * When a key's spend limit starts over: at 00:00 UTC each day, each Monday, or on the first of each month.
 * A key without one has a lifetime limit.
 */
public enum LimitReset {
    DAILY("daily"),
    WEEKLY("weekly"),
    MONTHLY("monthly");

    private final String wireName;

    LimitReset(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<LimitReset> parse(String wireName) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(wireName)).findFirst();
    }

    /** The start (a UTC midnight) of the period that contains {@code now}. */
    public Instant periodStart(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case DAILY -> today;
            case WEEKLY -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> today.withDayOfMonth(1);
        };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
