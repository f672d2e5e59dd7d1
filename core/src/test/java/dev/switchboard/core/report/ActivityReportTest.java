package dev.switchboard.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivityReportTest {
    private static final LocalDate MON = LocalDate.parse("2026-11-16");
    private static final LocalDate TUE = MON.plusDays(1);

    @Test
    void sumsEveryKeyAndWorkspaceOfAnEndpointOnADayExactly() {
        List<ActivityItem> items = ActivityReport.items(
                List.of(
                        row(MON, "ws-1", "k1", "acme/a", "0.1"),
                        row(MON, "ws-1", "k2", "acme/a", "0.2"),
                        row(MON, "ws-2", "k3", "acme/a", "0.000000000000000001"),
                        row(MON, "ws-1", "k1", "acme/b", "1"),
                        row(TUE, "ws-1", "k1", "acme/a", "5")),
                false);

        assertThat(items)
                .extracting(i -> i.date() + " " + i.model() + " "
                        + i.counts().usage().toPlainString() + " " + i.counts().requests())
                .containsExactly(
                        "2026-11-17 acme/a 5 1", "2026-11-16 acme/a 0.300000000000000001 3", "2026-11-16 acme/b 1 1");
        assertThat(items).allSatisfy(i -> assertThat(i.workspaceId()).isEmpty());
        assertThat(items.get(1).endpointId()).isEqualTo("mock:acme/a");
    }

    @Test
    void splitsPerWorkspaceWhenAsked() {
        List<ActivityItem> items = ActivityReport.items(
                List.of(
                        row(MON, "ws-2", "k3", "acme/a", "3"),
                        row(MON, "ws-1", "k1", "acme/a", "1"),
                        row(MON, "ws-1", "k2", "acme/a", "2")),
                true);

        assertThat(items)
                .extracting(
                        i -> i.workspaceId().orElseThrow() + " " + i.counts().usage())
                .containsExactly("ws-1 3", "ws-2 3");
    }

    @Test
    void aQuerySpansOneToThirtyOneDays() {
        assertThat(new ActivityQuery(MON, MON, Optional.empty(), Optional.empty()))
                .isNotNull();
        assertThat(new ActivityQuery(MON, MON.plusDays(30), Optional.empty(), Optional.empty()))
                .isNotNull();
        assertThatThrownBy(() -> new ActivityQuery(MON, MON.plusDays(31), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ActivityQuery(TUE, MON, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rankingPeriodsAreTheUtcDayTheWeekFromMondayAndTheMonth() {
        LocalDate sunday = LocalDate.parse("2026-11-01");

        assertThat(RankingPeriod.DAY.first(sunday)).isEqualTo(sunday);
        assertThat(RankingPeriod.WEEK.first(sunday)).isEqualTo(LocalDate.parse("2026-10-26"));
        assertThat(RankingPeriod.WEEK.last(sunday)).isEqualTo(sunday);
        assertThat(RankingPeriod.MONTH.first(sunday)).isEqualTo(sunday);
        assertThat(RankingPeriod.MONTH.last(LocalDate.parse("2028-02-10"))).isEqualTo(LocalDate.parse("2028-02-29"));
        assertThat(RankingPeriod.parse("week")).contains(RankingPeriod.WEEK);
        assertThat(RankingPeriod.parse("WEEK")).isEmpty();
    }

    private static ActivityRow row(LocalDate date, String workspace, String key, String model, String usage) {
        return new ActivityRow(
                date,
                workspace,
                key,
                model,
                "mock",
                "Mock Cloud",
                new ActivityCounts(new BigDecimal(usage), BigDecimal.ZERO, 1, 10, 20, 3));
    }
}
