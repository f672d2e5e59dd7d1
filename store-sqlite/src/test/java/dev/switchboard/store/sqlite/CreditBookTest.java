package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.accounting.CreditBook;
import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.LimitReset;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credits book over a real SQLite file, on a clock the test moves: holds against key limits and
 * workspace credits, settlement, limit periods that start over at 00:00 UTC, grants arriving from the
 * store, and holds that lapse when their request never settles.
 */
class CreditBookTest {
    private static final Instant SUNDAY_EVENING = Instant.parse("2026-12-06T23:59:00Z");
    private static final BigDecimal ONE = BigDecimal.ONE;

    @TempDir
    Path dir;

    private SqliteStorage storage;
    private final MovableClock clock = new MovableClock(SUNDAY_EVENING);

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("credits.db"));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private CreditBook book(boolean enforce) {
        return new CreditBook(storage.credits(), (hash, day, week, month) -> UsageTotals.ZERO, clock, enforce);
    }

    private static ApiKey key(String hash, Optional<BigDecimal> limit, Optional<LimitReset> reset) {
        return new ApiKey(
                hash,
                hash,
                "sk-...",
                false,
                false,
                Instant.EPOCH,
                Instant.EPOCH,
                ApiKey.DEFAULT_WORKSPACE,
                new ApiKey.Spending(limit, reset, false, Optional.empty()));
    }

    private Instant later() {
        return clock.instant().plus(Duration.ofMinutes(10));
    }

    @Test
    void aKeyLimitAdmitsHoldsUpToItAndSettlingFreesWhatWasNotSpent() {
        CreditBook book = book(false);
        ApiKey key = key("k", Optional.of(new BigDecimal("3")), Optional.empty());

        book.reserve("a", key, ONE, later());
        book.reserve("b", key, ONE, later());
        book.reserve("c", key, ONE, later());
        assertThatThrownBy(() -> book.reserve("d", key, new BigDecimal("0.000001"), later()))
                .isInstanceOfSatisfying(CreditBook.Refusal.class, r -> {
                    assertThat(r.keyLimit()).isTrue();
                    assertThat(r.available()).isZero();
                });

        book.settle("a", ApiKey.DEFAULT_WORKSPACE, new BigDecimal("0.25"));
        book.settle("a", ApiKey.DEFAULT_WORKSPACE, new BigDecimal("0.25")); // a second settle books nothing
        book.reserve("e", key, new BigDecimal("0.75"), later());
        assertThatThrownBy(() -> book.reserve("f", key, new BigDecimal("0.000001"), later()))
                .isInstanceOf(CreditBook.Refusal.class);
    }

    @Test
    void aDailyLimitStartsOverAtMidnightUtcAndAWeeklyOneOnMonday() {
        CreditBook book = book(false);
        ApiKey daily = key("daily", Optional.of(ONE), Optional.of(LimitReset.DAILY));
        ApiKey monthly = key("monthly", Optional.of(ONE), Optional.of(LimitReset.MONTHLY));
        book.reserve("d1", daily, ONE, later());
        book.settle("d1", ApiKey.DEFAULT_WORKSPACE, ONE);
        book.reserve("m1", monthly, ONE, later());
        book.settle("m1", ApiKey.DEFAULT_WORKSPACE, ONE);
        assertThatThrownBy(() -> book.reserve("d2", daily, ONE, later())).isInstanceOf(CreditBook.Refusal.class);

        clock.advance(Duration.ofMinutes(1)); // Monday 2026-12-07 00:00 UTC

        book.reserve("d3", daily, ONE, later());
        assertThatThrownBy(() -> book.reserve("m2", monthly, ONE, later()))
                .as("December is not over")
                .isInstanceOf(CreditBook.Refusal.class);
        assertThat(LimitReset.WEEKLY.periodStart(clock.instant())).isEqualTo(clock.instant());
        assertThat(LimitReset.WEEKLY.periodStart(SUNDAY_EVENING)).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
    }

    @Test
    void enforcedCreditsRefuseAnEmptyWorkspaceEvenForAFreeRequestAndAdmitOnceGranted() {
        CreditBook book = book(true);
        ApiKey key = key("k", Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> book.reserve("free", key, BigDecimal.ZERO, later()))
                .isInstanceOfSatisfying(
                        CreditBook.Refusal.class, r -> assertThat(r.keyLimit()).isFalse());

        storage.credits()
                .append(new CreditEntry(
                        "grant-1",
                        ApiKey.DEFAULT_WORKSPACE,
                        CreditEntry.Kind.GRANT,
                        new BigDecimal("2"),
                        clock.instant(),
                        ""));
        book.creditsChanged(ApiKey.DEFAULT_WORKSPACE);

        book.reserve("a", key, new BigDecimal("1.5"), later());
        assertThatThrownBy(() -> book.reserve("b", key, ONE, later()))
                .isInstanceOfSatisfying(
                        CreditBook.Refusal.class, r -> assertThat(r.available()).isEqualByComparingTo("0.5"));
        book.settle("a", ApiKey.DEFAULT_WORKSPACE, new BigDecimal("1.5"));
        assertThat(book.balance(ApiKey.DEFAULT_WORKSPACE).remaining()).isEqualByComparingTo("0.5");
    }

    @Test
    void aGrantAddedElsewhereArrivesWithinTheRefreshInterval() {
        CreditBook book = book(true);
        ApiKey key = key("k", Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> book.reserve("a", key, ONE, later())).isInstanceOf(CreditBook.Refusal.class);

        storage.credits()
                .append(new CreditEntry(
                        "cli",
                        ApiKey.DEFAULT_WORKSPACE,
                        CreditEntry.Kind.GRANT,
                        new BigDecimal("5"),
                        clock.instant(),
                        ""));
        clock.advance(Duration.ofSeconds(5));

        book.reserve("b", key, ONE, later());
    }

    @Test
    void aHoldWhoseRequestNeverSettlesLapsesAtItsExpiry() {
        CreditBook book = book(false);
        ApiKey key = key("k", Optional.of(ONE), Optional.empty());
        book.reserve("lost", key, ONE, clock.instant().plus(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> book.reserve("next", key, ONE, later())).isInstanceOf(CreditBook.Refusal.class);

        clock.advance(Duration.ofSeconds(31));

        book.reserve("next", key, ONE, later());
    }

    @Test
    void aKeyGivenALimitLaterCountsWhatItSpentBefore() {
        UsageTotals spent = new UsageTotals(new BigDecimal("4"), ONE, ONE, new BigDecimal("2"));
        CreditBook book = new CreditBook(storage.credits(), (hash, day, week, month) -> spent, clock, false);
        ApiKey unlimited = key("k", Optional.empty(), Optional.empty());
        book.reserve("a", unlimited, new BigDecimal("100"), later());
        book.settle("a", ApiKey.DEFAULT_WORKSPACE, BigDecimal.ZERO);

        ApiKey limited = key("k", Optional.of(new BigDecimal("5")), Optional.empty());
        assertThatThrownBy(() -> book.reserve("b", limited, new BigDecimal("1.5"), later()))
                .isInstanceOfSatisfying(
                        CreditBook.Refusal.class, r -> assertThat(r.available()).isEqualByComparingTo("1"));
        ApiKey monthly = key("k", Optional.of(new BigDecimal("5")), Optional.of(LimitReset.MONTHLY));
        book.reserve("c", monthly, new BigDecimal("3"), later());
    }

    @Test
    void creditEntriesAreIdempotentByIdAndAnotherEntryCannotReuseOne() {
        CreditEntry grant = new CreditEntry(
                "g", ApiKey.DEFAULT_WORKSPACE, CreditEntry.Kind.GRANT, new BigDecimal("10.5"), clock.instant(), "");
        assertThat(storage.credits().append(grant)).isTrue();
        assertThat(storage.credits().append(grant)).isFalse();
        assertThatThrownBy(() -> storage.credits()
                        .append(new CreditEntry(
                                "g",
                                ApiKey.DEFAULT_WORKSPACE,
                                CreditEntry.Kind.GRANT,
                                new BigDecimal("11"),
                                clock.instant(),
                                "")))
                .isInstanceOf(IllegalArgumentException.class);
        storage.credits()
                .append(new CreditEntry(
                        "fee",
                        ApiKey.DEFAULT_WORKSPACE,
                        CreditEntry.Kind.FEE,
                        new BigDecimal("-0.5"),
                        clock.instant(),
                        ""));
        assertThat(storage.credits().credits(ApiKey.DEFAULT_WORKSPACE)).isEqualByComparingTo("10");
        assertThatThrownBy(() -> new CreditEntry(
                        "tiny",
                        ApiKey.DEFAULT_WORKSPACE,
                        CreditEntry.Kind.GRANT,
                        new BigDecimal("1E-999999999"),
                        clock.instant(),
                        ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.credits().entries(ApiKey.DEFAULT_WORKSPACE, 0, 10)).hasSize(2);
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
