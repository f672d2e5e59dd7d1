package dev.switchboard.store.sqlite;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.storage.GenerationStore;
import dev.switchboard.core.storage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteGenerationStoreTest {
    /** Wednesday; the ISO week began on Monday the 17th, the month on the 1st. */
    private static final Instant DAY = Instant.parse("2025-03-19T00:00:00Z");
    private static final Instant WEEK = Instant.parse("2025-03-17T00:00:00Z");
    private static final Instant MONTH = Instant.parse("2025-03-01T00:00:00Z");

    @TempDir
    Path dir;
    private Path file;
    private SqliteStorage storage;
    private GenerationStore generations;

    @BeforeEach
    void open() {
        file = dir.resolve("generations.db");
        storage = SqliteStorage.open(file);
        generations = storage.generations();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void roundTripsEveryFieldOfAFullRecord() {
        GenerationRecord full = new GenerationRecord("gen-full", Instant.parse("2025-03-19T12:34:56.123456789Z"), "k".repeat(64),
                "acme/chat-priced", "mock", "Mock Cloud", "chatcmpl-abc", true, true, "length", "max_tokens", 1200, 345,
                1024, 64, new BigDecimal("0.001234567890123456789"), 1500, 1400, 100, Optional.of("https://app.example"),
                Optional.of("My App"), Optional.of("user-42"), 200, Optional.of("timeout"), true);

        generations.insertAll(List.of(full));

        assertThat(generations.find("gen-full")).contains(full);
    }

    @Test
    void roundTripsAFailedRecordWithEmptiesAndNulls() {
        GenerationRecord failed = new GenerationRecord("gen-failed", Instant.parse("2025-03-19T12:00:00Z"), "k".repeat(64),
                "acme/unknown", "", "", "", false, false, null, null, 0, 0, 0, 0, BigDecimal.ZERO, 3, 0, -1,
                Optional.empty(), Optional.empty(), Optional.empty(), 400, Optional.of("invalid_request"), false);

        generations.insertAll(List.of(failed));

        assertThat(generations.find("gen-failed")).contains(failed);
    }

    @Test
    void keepsTheScaleOfTheCost() {
        generations.insertAll(List.of(Fixtures.generation("gen-1", "k", DAY, "0.00150")));

        assertThat(generations.find("gen-1").orElseThrow().cost()).isEqualTo(new BigDecimal("0.00150"));
    }

    @Test
    void unknownIdIsEmpty() {
        assertThat(generations.find("gen-nope")).isEmpty();
    }

    @Test
    void insertsABatchAndIgnoresAnEmptyOne() {
        List<GenerationRecord> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            batch.add(Fixtures.generation("gen-" + i, "k", DAY.plusSeconds(i), "0.000001"));
        }

        generations.insertAll(batch);
        generations.insertAll(List.of());

        assertThat(generations.find("gen-0")).isPresent();
        assertThat(generations.find("gen-599")).isPresent();
        assertThat(generations.usage("k", DAY, WEEK, MONTH).total()).isEqualByComparingTo("0.0006");
    }

    @Test
    void duplicateIdInOneBatchKeepsTheFirst() {
        generations.insertAll(List.of(Fixtures.generation("gen-1", "k", DAY, "1"), Fixtures.generation("gen-1", "k", DAY, "2"),
                Fixtures.generation("gen-2", "k", DAY, "3")));

        assertThat(generations.find("gen-1").orElseThrow().cost()).isEqualByComparingTo("1");
        assertThat(generations.find("gen-2")).isPresent();
    }

    @Test
    void storedRecordIsNeverOverwrittenByALaterBatch() {
        GenerationRecord original = Fixtures.generation("gen-1", "k", DAY, "1");
        generations.insertAll(List.of(original));

        generations.insertAll(List.of(Fixtures.generation("gen-1", "other", DAY, "99"), Fixtures.generation("gen-2", "k", DAY, "2")));

        assertThat(generations.find("gen-1")).contains(original);
        assertThat(generations.find("gen-2")).isPresent();
    }

    @Test
    void batchIsAllOrNothing() throws Exception {
        SqliteStorageTest.execute(file, "CREATE TRIGGER refuse_poison BEFORE INSERT ON generations WHEN NEW.model = 'poison' "
                + "BEGIN SELECT RAISE(ABORT, 'poisoned record'); END");
        GenerationRecord good = Fixtures.generation("gen-good", "k", DAY, "1");
        GenerationRecord poison = new GenerationRecord("gen-poison", DAY, "k", "poison", "mock", "Mock Cloud", "x", false, false,
                "stop", "stop", 1, 1, 0, 0, BigDecimal.ONE, 1, 1, 1, Optional.empty(), Optional.empty(), Optional.empty(), 200,
                Optional.empty(), false);

        assertThatThrownBy(() -> generations.insertAll(List.of(good, poison))).isInstanceOf(StorageException.class)
                .hasMessageContaining("poisoned record");

        assertThat(generations.find("gen-good")).as("rolled back with the batch").isEmpty();
        SqliteStorageTest.execute(file, "DROP TRIGGER refuse_poison");
        generations.insertAll(List.of(good));
        assertThat(generations.find("gen-good")).as("the connection is usable after the rollback").contains(good);
    }

    @Test
    void sumsCostsPerKeyOverDayWeekMonthAndLifetimeExactly() {
        generations.insertAll(List.of(
                Fixtures.generation("today-1", "k", DAY.plusSeconds(3600), "0.1"),
                Fixtures.generation("today-2", "k", DAY.plusSeconds(7200), "0.2"),
                Fixtures.generation("this-week", "k", WEEK.plusSeconds(60), "0.000000123456789"),
                Fixtures.generation("this-month", "k", MONTH.plusSeconds(60), "3"),
                Fixtures.generation("last-month", "k", MONTH.minusSeconds(60), "0.0000001"),
                Fixtures.generation("free", "k", DAY.plusSeconds(60), "0"),
                Fixtures.generation("other-key", "other", DAY.plusSeconds(60), "1000")));

        UsageTotals usage = generations.usage("k", DAY, WEEK, MONTH);

        assertThat(usage.daily()).isEqualByComparingTo("0.3");
        assertThat(usage.weekly()).isEqualByComparingTo("0.300000123456789");
        assertThat(usage.monthly()).isEqualByComparingTo("3.300000123456789");
        assertThat(usage.total()).isEqualByComparingTo("3.300000223456789");
        assertThat(usage.total().toPlainString()).isEqualTo("3.300000223456789");
    }

    @Test
    void windowsIncludeTheirStartAndExcludeWhatCameBefore() {
        generations.insertAll(List.of(
                Fixtures.generation("at-day-start", "k", DAY, "1"),
                Fixtures.generation("just-before", "k", DAY.minusMillis(1), "10")));

        UsageTotals usage = generations.usage("k", DAY, WEEK, MONTH);

        assertThat(usage.daily()).isEqualByComparingTo("1");
        assertThat(usage.weekly()).isEqualByComparingTo("11");
    }

    @Test
    void countsRecordsFromTheFirstSecondOfAWindow() {
        generations.insertAll(List.of(
                Fixtures.generation("half-a-second-in", "k", DAY.plusMillis(500), "1"),
                Fixtures.generation("some-micros-in", "k", DAY.plusNanos(123_456_000), "2")));

        UsageTotals usage = generations.usage("k", DAY, WEEK, MONTH);

        assertThat(usage.daily()).isEqualByComparingTo("3");
    }

    @Test
    void unknownKeyHasNoUsage() {
        UsageTotals usage = generations.usage("nobody", DAY, WEEK, MONTH);

        assertThat(usage.total()).isEqualByComparingTo("0");
        assertThat(usage.daily()).isEqualByComparingTo("0");
        assertThat(usage.weekly()).isEqualByComparingTo("0");
        assertThat(usage.monthly()).isEqualByComparingTo("0");
    }

    @Test
    void concurrentWritersAllSucceed() throws Exception {
        int threads = 8;
        int batches = 15;
        int perBatch = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int b = 0; b < batches; b++) {
                        List<GenerationRecord> batch = new ArrayList<>();
                        for (int i = 0; i < perBatch; i++) {
                            batch.add(Fixtures.generation("gen-" + thread + "-" + b + "-" + i, "k", DAY.plusSeconds(i), "0.001"));
                        }
                        generations.insertAll(batch);
                        ApiKey key = Fixtures.key("key-" + thread + "-" + b, DAY);
                        storage.keys().insert(key);
                        storage.keys().update(key.withName("renamed", DAY.plusSeconds(1)));
                        generations.usage("k", DAY, WEEK, MONTH);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(generations.usage("k", DAY, WEEK, MONTH).total())
                .isEqualByComparingTo(new BigDecimal("0.001").multiply(BigDecimal.valueOf((long) threads * batches * perBatch)));
        assertThat(storage.keys().all()).hasSize(threads * batches).allSatisfy(k -> assertThat(k.name()).isEqualTo("renamed"));
    }

    @Test
    void twoStoragesOnOneFileWriteConcurrently() throws Exception {
        try (SqliteStorage second = SqliteStorage.open(file)) {
            Thread other = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50; i++) {
                    second.generations().insertAll(List.of(Fixtures.generation("b-" + i, "k", DAY, "1")));
                }
            });
            for (int i = 0; i < 50; i++) {
                generations.insertAll(List.of(Fixtures.generation("a-" + i, "k", DAY, "1")));
            }
            other.join();
        }

        assertThat(generations.usage("k", DAY, WEEK, MONTH).total()).isEqualByComparingTo("100");
    }
}
