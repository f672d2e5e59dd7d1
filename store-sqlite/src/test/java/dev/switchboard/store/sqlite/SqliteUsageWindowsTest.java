package dev.switchboard.store.sqlite;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key's spend per UTC day, week and month from a real SQLite file: a generation belongs to the window
 * it was created in, to the millisecond, including in the first second after midnight.
 */
class SqliteUsageWindowsTest {
    private static final Instant MONTH = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant WEEK = Instant.parse("2026-11-16T00:00:00Z");
    private static final Instant DAY = Instant.parse("2026-11-22T00:00:00Z");
    @TempDir
    Path directory;
    private SqliteStorage storage;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(directory.resolve("usage.db"));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void countsAGenerationFromTheFirstSecondOfTheDayInThatDay() {
        storage.generations().insertAll(List.of(
                record("gen-a", "1", DAY.plusMillis(250)),
                record("gen-b", "10", DAY),
                record("gen-c", "100", DAY.minusMillis(1))));

        UsageTotals usage = storage.generations().usage("key-a", DAY, WEEK, MONTH);

        assertThat(usage.daily()).isEqualByComparingTo("11");
        assertThat(usage.weekly()).isEqualByComparingTo("111");
        assertThat(usage.total()).isEqualByComparingTo("111");
    }

    @Test
    void putsEachGenerationInEveryWindowItFallsIn() {
        storage.generations().insertAll(List.of(
                record("gen-d", "0.000001", WEEK.plusNanos(1_000)),
                record("gen-e", "0.00001", MONTH.plusMillis(999)),
                record("gen-f", "0.0001", MONTH.minusSeconds(1))));

        UsageTotals usage = storage.generations().usage("key-a", DAY, WEEK, MONTH);

        assertThat(usage.daily()).isZero();
        assertThat(usage.weekly()).isEqualByComparingTo("0.000001");
        assertThat(usage.monthly()).isEqualByComparingTo("0.000011");
        assertThat(usage.total()).isEqualByComparingTo("0.000111");
    }

    private static GenerationRecord record(String id, String cost, Instant createdAt) {
        return new GenerationRecord(id, createdAt, "key-a", "acme/chat-small", "mock", "Mock Cloud", "", false, false,
                "stop", "stop", 3, 2, 0, 0, new BigDecimal(cost), 10, 5, 4, Optional.empty(), Optional.empty(),
                Optional.empty(), 200, Optional.empty(), false);
    }
}
