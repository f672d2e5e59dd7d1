package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.limits.GrantedCredits;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a workspace was granted in all, from a real SQLite ledger: grants only (refunds, fees and
 * adjustments left out), per workspace, exact; and the free models' cache of it, told of a new grant.
 */
class SqliteGrantedCreditsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private SqliteStorage storage;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("granted.db"));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void sumsTheWorkspacesGrantsAloneExactly() {
        append("g1", ApiKey.DEFAULT_WORKSPACE, CreditEntry.Kind.GRANT, "9.999999999999999999");
        append("g2", ApiKey.DEFAULT_WORKSPACE, CreditEntry.Kind.GRANT, "0.000000000000000001");
        append("r1", ApiKey.DEFAULT_WORKSPACE, CreditEntry.Kind.REFUND, "5");
        append("f1", ApiKey.DEFAULT_WORKSPACE, CreditEntry.Kind.FEE, "-1");
        append("a1", ApiKey.DEFAULT_WORKSPACE, CreditEntry.Kind.ADJUSTMENT, "3");
        append("o1", "other", CreditEntry.Kind.GRANT, "100");

        assertThat(storage.credits().granted(ApiKey.DEFAULT_WORKSPACE)).isEqualByComparingTo("10");
        assertThat(storage.credits().granted("other")).isEqualByComparingTo("100");
        assertThat(storage.credits().granted("nobody")).isZero();
    }

    @Test
    void theCacheSeesAGrantItWasToldOf() {
        GrantedCredits granted = new GrantedCredits(storage.credits(), Clock.fixed(T0, ZoneOffset.UTC));
        append("g1", ApiKey.DEFAULT_WORKSPACE, CreditEntry.Kind.GRANT, "5");
        assertThat(granted.atLeast(ApiKey.DEFAULT_WORKSPACE, BigDecimal.TEN)).isFalse();

        append("g2", ApiKey.DEFAULT_WORKSPACE, CreditEntry.Kind.GRANT, "5");
        assertThat(granted.atLeast(ApiKey.DEFAULT_WORKSPACE, BigDecimal.TEN))
                .as("cached until the refresh interval or a notice")
                .isFalse();
        granted.changed(ApiKey.DEFAULT_WORKSPACE);
        assertThat(granted.atLeast(ApiKey.DEFAULT_WORKSPACE, BigDecimal.TEN)).isTrue();
    }

    private void append(String id, String workspace, CreditEntry.Kind kind, String amount) {
        storage.credits().append(new CreditEntry(id, workspace, kind, new BigDecimal(amount), T0, ""));
    }
}
