package dev.switchboard.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The GCRA bucket on a time line the test chooses (nanoseconds). */
class RateBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long T0 = 1_800_000_000L * SECOND;

    private final RateBucket bucket = new RateBucket();

    @Test
    void admitsAMinutesAllowanceAtOnceThenSaysExactlyHowLongToWait() {
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.take(T0, 3, 1)).isZero();
        }

        assertThat(bucket.take(T0, 3, 1)).as("one unit refills every 20 s").isEqualTo(20 * SECOND);
        assertThat(bucket.take(T0 + 5 * SECOND, 3, 1)).isEqualTo(15 * SECOND);
    }

    @Test
    void refillsOneUnitPerIntervalAndTheWholeAllowanceInAMinute() {
        for (int i = 0; i < 3; i++) {
            bucket.take(T0, 3, 1);
        }

        assertThat(bucket.take(T0 + 20 * SECOND, 3, 1)).isZero();
        assertThat(bucket.take(T0 + 20 * SECOND, 3, 1)).isPositive();
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.take(T0 + 20 * SECOND + MINUTE, 3, 1)).isZero();
        }
        assertThat(bucket.take(T0 + 20 * SECOND + MINUTE, 3, 1)).isPositive();
    }

    @Test
    void neverLetsMoreThanTheAllowancePassAcrossAMinuteBoundary() {
        for (int i = 0; i < 60; i++) {
            assertThat(bucket.take(T0 + 59 * SECOND, 60, 1)).isZero();
        }

        assertThat(bucket.take(T0 + 61 * SECOND, 60, 1))
                .as("2 s later only two units have refilled")
                .isZero();
        assertThat(bucket.take(T0 + 61 * SECOND, 60, 1)).isZero();
        assertThat(bucket.take(T0 + 61 * SECOND, 60, 1)).isEqualTo(SECOND);
    }

    @Test
    void aLargeChargeOverdrawsTheBucketAndDelaysWhatFollows() {
        assertThat(bucket.take(T0, 1000, 3000))
                .as("room for one token is enough to start")
                .isZero();

        assertThat(bucket.take(T0, 1000, 1))
                .as("two minutes of overdraft to refill, plus one token")
                .isEqualTo(2 * MINUTE + RateBucket.worth(1, 1000));
    }

    @Test
    void givingBackNeverMakesTheBucketFullerThanFull() {
        bucket.take(T0, 1000, 1000);
        bucket.adjust(T0, 1000, -5000);

        assertThat(bucket.take(T0, 1000, 1000)).isZero();
        assertThat(bucket.take(T0, 1000, 1))
                .as("only one allowance was given back")
                .isPositive();
    }

    @Test
    void settlingMoreThanTheEstimateCountsTheDifference() {
        bucket.take(T0, 1000, 100);
        bucket.adjust(T0, 1000, 900);

        assertThat(bucket.take(T0, 1000, 1)).isEqualTo(RateBucket.worth(1, 1000));
    }

    @Test
    void capsTheOverdraftAtADay() {
        bucket.take(T0, 1, RateBucket.MAX_UNITS);
        bucket.adjust(T0, 1, RateBucket.MAX_UNITS);

        assertThat(bucket.take(T0, 1, 1)).isLessThanOrEqualTo(RateBucket.MAX_OVERDRAFT_NANOS);
    }

    @Test
    void aRaisedAllowanceAdmitsAtOnceAndALoweredOneKeepsWhatIsInUse() {
        bucket.take(T0, 1, 1);
        assertThat(bucket.take(T0, 1, 1)).isPositive();

        assertThat(bucket.take(T0, 2, 1)).as("one of two in use").isZero();
        assertThat(bucket.take(T0, 2, 1)).isEqualTo(30 * SECOND);

        assertThat(bucket.take(T0, 4, 1)).as("two of four in use").isZero();
        assertThat(bucket.take(T0, 4, 1)).isZero();
        assertThat(bucket.take(T0, 4, 1)).isEqualTo(15 * SECOND);
    }
}
