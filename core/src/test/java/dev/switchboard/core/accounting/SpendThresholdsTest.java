package dev.switchboard.core.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which settlements cross 50, 80 and 100 %, and that each crossing is announced once per period. */
class SpendThresholdsTest {
    private static final Instant DAY_1 = Instant.parse("2026-12-05T00:00:00Z");
    private static final Instant DAY_2 = Instant.parse("2026-12-06T00:00:00Z");

    private final List<SpendAlert> alerts = new ArrayList<>();
    private final SpendThresholds thresholds = new SpendThresholds(alerts::add, Clock.fixed(DAY_1, ZoneOffset.UTC));

    private static CreditBook.Standing key(String spent, String cost, Instant period) {
        return new CreditBook.Standing(
                "default",
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                "k",
                Optional.of(BigDecimal.TEN),
                new BigDecimal(spent),
                period,
                new BigDecimal(cost));
    }

    private List<Integer> percents() {
        return alerts.stream().map(SpendAlert::percent).toList();
    }

    @Test
    void eachThresholdIsAnnouncedOnceAsSpendCrossesIt() {
        thresholds.settled(key("1", "1", DAY_1));
        assertThat(alerts).isEmpty();
        thresholds.settled(key("5", "4", DAY_1));
        assertThat(percents()).containsExactly(50);
        thresholds.settled(key("6", "1", DAY_1));
        assertThat(percents()).containsExactly(50);
        thresholds.settled(key("10.5", "4.5", DAY_1));
        assertThat(percents()).containsExactly(50, 80, 100);
        thresholds.settled(key("11", "0.5", DAY_1));
        assertThat(percents()).containsExactly(50, 80, 100);
        assertThat(alerts.getLast().subject()).isEqualTo("key");
        assertThat(alerts.getLast().limit()).isEqualByComparingTo("10");
    }

    @Test
    void aNewPeriodAnnouncesAgain() {
        thresholds.settled(key("9", "9", DAY_1));
        thresholds.settled(key("6", "6", DAY_2));
        assertThat(percents()).containsExactly(50, 80, 50);
    }

    @Test
    void whatWasCrossedBeforeTheFirstSettlementSeenIsNotRepeated() {
        // after a restart: the key had spent 8.5 before this request of 0.5
        thresholds.settled(key("9", "0.5", DAY_1));
        assertThat(alerts).isEmpty();
        thresholds.settled(key("10", "1", DAY_1));
        assertThat(percents()).containsExactly(100);
    }

    @Test
    void aWorkspaceIsMeasuredAgainstItsCreditsAndANewGrantStartsOver() {
        thresholds.settled(new CreditBook.Standing(
                "default",
                new BigDecimal("20"),
                new BigDecimal("16"),
                "k",
                Optional.empty(),
                BigDecimal.ZERO,
                Instant.EPOCH,
                new BigDecimal("16")));
        assertThat(percents()).containsExactly(50, 80);
        assertThat(alerts.getFirst().subject()).isEqualTo("workspace");
        thresholds.settled(new CreditBook.Standing(
                "default",
                new BigDecimal("40"),
                new BigDecimal("21"),
                "k",
                Optional.empty(),
                BigDecimal.ZERO,
                Instant.EPOCH,
                new BigDecimal("5")));
        assertThat(percents()).containsExactly(50, 80, 50);
    }

    @Test
    void aFreeRequestAnnouncesNothing() {
        thresholds.settled(key("10", "0", DAY_1));
        assertThat(alerts).isEmpty();
    }
}
