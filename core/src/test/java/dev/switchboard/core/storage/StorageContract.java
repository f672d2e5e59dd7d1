package dev.switchboard.core.storage;

import static dev.switchboard.core.storage.StorageFixtures.T0;
import static dev.switchboard.core.storage.StorageFixtures.generation;
import static dev.switchboard.core.storage.StorageFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.ProviderResponse;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.storage.StorageFixtures.Periods;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} backend must do, whatever database is behind it: keys, generation
 * records, and each key's usage totals kept up with the records. A backend's test extends this class
 * and says how to open a new, empty storage; it adds its own tests for what only it has (files,
 * migrations, failure classification beyond the basics).
 *
 * <p>Packaged in core's test jar so that backend modules extend it without a module of its own.
 */
public abstract class StorageContract {
    /** Wednesday; the week began on Monday the 17th, the month on the 1st. */
    private static final Periods MARCH_19 = Periods.of(Instant.parse("2025-03-19T15:00:00Z"));

    protected Storage storage;
    private KeyStore keys;
    private GenerationStore generations;

    /** A new storage with an up-to-date, empty schema; closed by the contract after each test. */
    protected abstract Storage openStorage();

    /**
     * Makes the database itself refuse, as a failed constraint would, every generation record whose
     * model is {@code model}, until {@link #acceptEveryModel()}. Used to fail a batch half-way.
     */
    protected abstract void refuseModel(String model);

    protected abstract void acceptEveryModel();

    @BeforeEach
    void openTheStorage() {
        storage = openStorage();
        keys = storage.keys();
        generations = storage.generations();
    }

    @AfterEach
    void closeTheStorage() {
        storage.close();
    }

    @Test
    void aNewStorageIsHealthyAndDescribesItself() {
        assertThat(storage.problem()).isEmpty();
        assertThat(storage.describe()).isNotBlank();
    }

    @Test
    void insertedKeyIsFoundWithEveryField() {
        Instant created = Instant.parse("2025-03-19T12:34:56.789123Z");
        ApiKey key =
                new ApiKey("a".repeat(64), "admin", "sk-sb-v1-3f2...9ab", true, true, created, created.plusSeconds(5));

        keys.insert(key);

        assertThat(keys.find(key.hash())).contains(key);
        assertThat(keys.find("b".repeat(64))).isEmpty();
    }

    @Test
    void insertingTheSameKeyHashTwiceFailsAsAStorageFailureAndKeepsTheFirst() {
        keys.insert(key("a", T0));

        assertThatThrownBy(() -> keys.insert(key("a", T0.plusSeconds(1)))).isInstanceOf(StorageException.class);
        assertThat(keys.all()).containsExactly(key("a", T0));
    }

    @Test
    void listsAllKeysOldestFirst() {
        ApiKey middle = key("middle", T0.plusSeconds(60));
        ApiKey newest = key("newest", T0.plusSeconds(3600));
        ApiKey oldest = key("oldest", T0);
        keys.insert(middle);
        keys.insert(newest);
        keys.insert(oldest);

        assertThat(keys.all()).containsExactly(oldest, middle, newest);
    }

    @Test
    void ordersKeysCreatedWithinOneSecondByTheirInstant() {
        ApiKey whole = key("whole", Instant.parse("2025-03-19T12:00:00Z"));
        ApiKey millis = key("millis", Instant.parse("2025-03-19T12:00:00.123Z"));
        ApiKey micros = key("micros", Instant.parse("2025-03-19T12:00:00.123456Z"));
        ApiKey later = key("later", Instant.parse("2025-03-19T12:00:00.5Z"));
        keys.insert(later);
        keys.insert(micros);
        keys.insert(millis);
        keys.insert(whole);

        assertThat(keys.all()).containsExactly(whole, millis, micros, later);
    }

    @Test
    void updateChangesNameDisabledAndUpdatedAtOnly() {
        ApiKey key = key("a", T0);
        keys.insert(key);
        ApiKey changed = new ApiKey(
                key.hash(), "renamed", "tampered-label", true, true, T0.plusSeconds(1), T0.plus(Duration.ofMinutes(5)));

        assertThat(keys.update(changed)).isTrue();

        ApiKey stored = keys.find(key.hash()).orElseThrow();
        assertThat(stored.name()).isEqualTo("renamed");
        assertThat(stored.disabled()).isTrue();
        assertThat(stored.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(stored.label()).as("immutable").isEqualTo(key.label());
        assertThat(stored.management()).as("immutable").isFalse();
        assertThat(stored.createdAt()).as("immutable").isEqualTo(T0);
    }

    @Test
    void keepsAKeysRateLimitThroughInsertAndUpdate() {
        ApiKey key = key("a", T0).withRateLimit(new RateLimit(OptionalLong.of(60), OptionalLong.empty()), T0);
        keys.insert(key);
        assertThat(keys.find(key.hash())).contains(key);

        ApiKey changed = key.withRateLimit(
                new RateLimit(OptionalLong.empty(), OptionalLong.of(RateLimit.MAX_TOKENS_PER_MINUTE)),
                T0.plusSeconds(1));
        keys.update(changed);
        assertThat(keys.find(key.hash())).contains(changed);

        keys.update(changed.withRateLimit(RateLimit.NONE, T0.plusSeconds(2)));
        assertThat(keys.find(key.hash()).orElseThrow().rateLimit()).isEqualTo(RateLimit.NONE);
    }

    @Test
    void updatingAMissingKeyReportsFalseAndCreatesNothing() {
        assertThat(keys.update(key("ghost", T0))).isFalse();
        assertThat(keys.all()).isEmpty();
    }

    @Test
    void deleteRemovesTheKeyAndReportsWhetherItExisted() {
        ApiKey key = key("a", T0);
        keys.insert(key);
        keys.insert(key("b", T0));

        assertThat(keys.delete(key.hash())).isTrue();
        assertThat(keys.delete(key.hash())).isFalse();
        assertThat(keys.find(key.hash())).isEmpty();
        assertThat(keys.all()).extracting(ApiKey::name).containsExactly("b");
    }

    @Test
    void roundTripsEveryFieldOfAFullRecord() {
        GenerationRecord full = new GenerationRecord(
                "gen-full",
                Instant.parse("2025-03-19T12:34:56.123456789Z"),
                "k".repeat(64),
                "acme/chat-priced",
                "mock",
                "Mock Cloud",
                "chatcmpl-abc",
                true,
                true,
                "length",
                "max_tokens",
                1200,
                345,
                1024,
                64,
                new BigDecimal("0.001234567890123456789"),
                1500,
                1400,
                100,
                Optional.of("https://app.example"),
                Optional.of("My App"),
                Optional.of("user-42"),
                200,
                Optional.of("timeout"),
                true,
                List.of(
                        new ProviderResponse(
                                "down",
                                "Down Cloud",
                                "acme/chat-priced",
                                Optional.empty(),
                                503,
                                12,
                                Optional.of("provider_unavailable"),
                                false),
                        new ProviderResponse(
                                "mock",
                                "Mock Cloud \"quoted\" \u00e9",
                                "acme/chat-priced",
                                Optional.of("chatcmpl-abc"),
                                200,
                                1488,
                                Optional.empty(),
                                true)),
                Optional.of("650e8400-e29b-41d4-a716-446655440001"),
                "ws-2",
                List.of("cli-agent", "ide-extension"),
                true,
                Optional.of(new BigDecimal("0.00042000")),
                Optional.of(new BigDecimal("-0.000125")));

        generations.insertAll(List.of(full));

        assertThat(generations.find("gen-full")).contains(full);
    }

    @Test
    void roundTripsAFailedRecordWithEmptiesAndNulls() {
        GenerationRecord failed = new GenerationRecord(
                "gen-failed",
                Instant.parse("2025-03-19T12:00:00Z"),
                "k".repeat(64),
                "acme/unknown",
                "",
                "",
                "",
                false,
                false,
                null,
                null,
                0,
                0,
                0,
                0,
                BigDecimal.ZERO,
                3,
                0,
                -1,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                400,
                Optional.of("invalid_request"),
                false);

        generations.insertAll(List.of(failed));

        assertThat(generations.find("gen-failed")).contains(failed);
    }

    @Test
    void keepsTheScaleOfTheCost() {
        generations.insertAll(List.of(generation("gen-1", "k", T0, "0.00150")));

        assertThat(generations.find("gen-1").orElseThrow().cost()).isEqualTo(new BigDecimal("0.00150"));
        assertThat(generations.find("gen-nope")).isEmpty();
    }

    @Test
    void storesALargeBatchAndIgnoresAnEmptyOne() {
        List<GenerationRecord> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            batch.add(generation("gen-" + i, "k", MARCH_19.day().plusSeconds(i), "0.000001"));
        }

        generations.insertAll(batch);
        generations.insertAll(List.of());

        assertThat(generations.find("gen-0")).isPresent();
        assertThat(generations.find("gen-599")).isPresent();
        assertThat(usage("k", MARCH_19).daily()).isEqualByComparingTo("0.0006");
    }

    @Test
    void aRepeatedIdInOneBatchKeepsTheFirstAndCountsItOnce() {
        generations.insertAll(List.of(
                generation("gen-1", "k", T0, "1"),
                generation("gen-1", "k", T0, "2"),
                generation("gen-2", "k", T0, "3")));

        assertThat(generations.find("gen-1").orElseThrow().cost()).isEqualByComparingTo("1");
        assertThat(generations.find("gen-2")).isPresent();
        assertThat(usage("k", MARCH_19).total()).isEqualByComparingTo("4");
    }

    @Test
    void storingAStoredIdAgainChangesNeitherTheRecordNorTheUsage() {
        GenerationRecord original = generation("gen-1", "k", T0, "1");
        generations.insertAll(List.of(original));

        generations.insertAll(
                List.of(original, generation("gen-1", "other", T0, "99"), generation("gen-2", "k", T0, "2")));

        assertThat(generations.find("gen-1")).contains(original);
        assertThat(generations.find("gen-2")).isPresent();
        assertThat(usage("k", MARCH_19)).satisfies(u -> {
            assertThat(u.total()).isEqualByComparingTo("3");
            assertThat(u.daily()).isEqualByComparingTo("3");
        });
        assertThat(usage("other", MARCH_19).total()).isZero();
    }

    @Test
    void aBatchIsStoredAllOrNothingWithItsUsage() {
        generations.insertAll(List.of(generation("gen-before", "k", T0, "0.5")));
        refuseModel("poison");
        GenerationRecord good = generation("gen-good", "k", T0, "1");
        GenerationRecord poison = generation("gen-poison", "k", T0, "1", "poison");

        assertThatThrownBy(() -> generations.insertAll(List.of(good, poison))).isInstanceOf(StorageException.class);

        assertThat(generations.find("gen-good"))
                .as("rolled back with the batch")
                .isEmpty();
        assertThat(usage("k", MARCH_19).total())
                .as("the usage rolled back with it")
                .isEqualByComparingTo("0.5");
        acceptEveryModel();
        generations.insertAll(List.of(good));
        assertThat(generations.find("gen-good"))
                .as("the store is usable after the rollback")
                .contains(good);
        assertThat(usage("k", MARCH_19).total()).isEqualByComparingTo("1.5");
    }

    @Test
    void sumsCostsPerKeyOverDayWeekMonthAndLifetimeExactly() {
        Periods p = MARCH_19;
        generations.insertAll(List.of(
                generation("today-1", "k", p.day().plusSeconds(3600), "0.1"),
                generation("today-2", "k", p.day().plusSeconds(7200), "0.2"),
                generation("this-week", "k", p.week().plusSeconds(60), "0.000000123456789"),
                generation("this-month", "k", p.month().plusSeconds(60), "3"),
                generation("last-month", "k", p.month().minusSeconds(60), "0.0000001"),
                generation("free", "k", p.day().plusSeconds(60), "0"),
                generation("other-key", "other", p.day().plusSeconds(60), "1000")));

        UsageTotals usage = usage("k", p);

        assertThat(usage.daily()).isEqualByComparingTo("0.3");
        assertThat(usage.weekly()).isEqualByComparingTo("0.300000123456789");
        assertThat(usage.monthly()).isEqualByComparingTo("3.300000123456789");
        assertThat(usage.total()).isEqualByComparingTo("3.300000223456789");
        assertThat(usage.total().toPlainString()).isEqualTo("3.300000223456789");
    }

    @Test
    void aPeriodHoldsWhatWasMadeFromItsFirstInstantOnAndNothingBefore() {
        Periods p = MARCH_19;
        generations.insertAll(List.of(
                generation("at-day-start", "k", p.day(), "1"),
                generation("half-a-second-in", "k", p.day().plusMillis(500), "2"),
                generation("some-micros-in", "k", p.day().plusNanos(123_456_000), "4"),
                generation("just-before", "k", p.day().minusMillis(1), "10"),
                generation("just-before-the-week", "k", p.week().minusNanos(1), "100")));

        UsageTotals usage = usage("k", p);

        assertThat(usage.daily()).isEqualByComparingTo("7");
        assertThat(usage.weekly()).isEqualByComparingTo("17");
        assertThat(usage.monthly()).isEqualByComparingTo("117");
    }

    @Test
    void aWeekThatBeganLastMonthCountsDaysTheMonthDoesNot() {
        // Wednesday 1 October 2025: its week began on Monday 29 September
        Periods p = Periods.of(Instant.parse("2025-10-01T09:00:00Z"));
        generations.insertAll(List.of(
                generation("monday", "k", Instant.parse("2025-09-29T08:00:00Z"), "0.01"),
                generation("today", "k", Instant.parse("2025-10-01T08:00:00Z"), "0.002")));

        UsageTotals usage = usage("k", p);

        assertThat(p.week()).isEqualTo(Instant.parse("2025-09-29T00:00:00Z"));
        assertThat(usage.weekly()).isEqualByComparingTo("0.012");
        assertThat(usage.monthly()).isEqualByComparingTo("0.002");
        assertThat(usage.daily()).isEqualByComparingTo("0.002");
    }

    @Test
    void usageIsTheExactSumOfCostsOnEveryDayAcrossWeekMonthAndYearBoundaries() {
        List<GenerationRecord> records = new ArrayList<>();
        Instant first = Instant.parse("2025-11-20T00:00:00Z");
        for (int i = 0; i < 400; i++) {
            // every 5 h 17 min 13.000123 s, so records fall at every hour of the day and near midnights
            Instant at = first.plus(Duration.ofSeconds(i * 19_033L, i * 123_000L));
            String cost = new BigDecimal(i * 7 + 1).scaleByPowerOfTen(-(i % 13)).toPlainString();
            records.add(generation("gen-" + i, i % 3 == 0 ? "other" : "k", at, cost));
        }
        generations.insertAll(records.subList(0, 150));
        generations.insertAll(records.subList(150, 400));

        for (Instant now = first; now.isBefore(first.plus(Duration.ofDays(90))); now = now.plus(Duration.ofHours(23))) {
            Periods p = Periods.of(now);
            assertThat(usage("k", p))
                    .as("on %s", now)
                    .usingRecursiveComparison()
                    .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                    .isEqualTo(expected(records, "k", p));
        }
    }

    @Test
    void aKeyWithoutRecordsHasNoUsage() {
        generations.insertAll(List.of(generation("gen-1", "k", T0, "1")));

        UsageTotals usage = usage("nobody", MARCH_19);

        assertThat(List.of(usage.total(), usage.daily(), usage.weekly(), usage.monthly()))
                .allSatisfy(v -> assertThat(v).isZero());
    }

    @Test
    void periodStartsMustBeUtcMidnights() {
        Periods p = MARCH_19;

        assertThatThrownBy(() -> generations.usage("k", p.day().plusSeconds(1), p.week(), p.month()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        generations.usage("k", p.day(), p.week(), p.month().minusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentWritersAndReadersAllSucceedAndCountEveryRecordOnce() throws Exception {
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
                            batch.add(generation(
                                    "gen-" + thread + "-" + b + "-" + i,
                                    "k",
                                    MARCH_19.day().plusSeconds(i),
                                    "0.001"));
                        }
                        generations.insertAll(batch);
                        ApiKey key = key("key-" + thread + "-" + b, T0);
                        keys.insert(key);
                        keys.update(key.withName("renamed", T0.plusSeconds(1)));
                        usage("k", MARCH_19);
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

        BigDecimal expected = new BigDecimal("0.001").multiply(BigDecimal.valueOf((long) threads * batches * perBatch));
        assertThat(usage("k", MARCH_19).daily()).isEqualByComparingTo(expected);
        assertThat(usage("k", MARCH_19).total()).isEqualByComparingTo(expected);
        assertThat(keys.all())
                .hasSize(threads * batches)
                .allSatisfy(k -> assertThat(k.name()).isEqualTo("renamed"));
    }

    private UsageTotals usage(String keyHash, Periods p) {
        return generations.usage(keyHash, p.day(), p.week(), p.month());
    }

    /** The usage of one key the slow, obvious way: every record compared with every period start. */
    private static UsageTotals expected(List<GenerationRecord> records, String keyHash, Periods p) {
        UsageTotals sum = UsageTotals.ZERO;
        for (GenerationRecord r : records) {
            if (r.keyHash().equals(keyHash)) {
                BigDecimal c = r.cost();
                sum = sum.plus(new UsageTotals(
                        c,
                        r.createdAt().isBefore(p.day()) ? BigDecimal.ZERO : c,
                        r.createdAt().isBefore(p.week()) ? BigDecimal.ZERO : c,
                        r.createdAt().isBefore(p.month()) ? BigDecimal.ZERO : c));
            }
        }
        return sum;
    }
}
