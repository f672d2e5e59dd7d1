package dev.switchboard.core.storage;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.keys.ApiKey;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/** Keys, generation records and period starts for storage tests, in core and in every backend. */
public final class StorageFixtures {
    public static final Instant T0 = Instant.parse("2025-03-19T12:00:00Z");

    private StorageFixtures() {}

    /** A key whose hash is derived from its name, so that names map to distinct 64-hex-digit hashes. */
    public static ApiKey key(String name, Instant createdAt) {
        String hash = String.format("%064x", new BigInteger(1, name.getBytes(StandardCharsets.UTF_8)));
        return new ApiKey(hash, name, "sk-sb-v1-abc...xyz", false, false, createdAt, createdAt);
    }

    /** A successful record of key {@code keyHash} costing {@code cost} USD, with 10 prompt and 20 completion tokens. */
    public static GenerationRecord generation(String id, String keyHash, Instant createdAt, String cost) {
        return generation(id, keyHash, createdAt, cost, "acme/chat");
    }

    public static GenerationRecord generation(String id, String keyHash, Instant createdAt, String cost, String model) {
        return new GenerationRecord(
                id,
                createdAt,
                keyHash,
                model,
                "mock",
                "Mock Cloud",
                "chatcmpl-" + id,
                false,
                false,
                "stop",
                "stop",
                10,
                20,
                0,
                0,
                new BigDecimal(cost),
                100,
                80,
                20,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                200,
                Optional.empty(),
                false);
    }

    /**
     * The starts of the UTC day, week (from Monday) and month that hold {@code now}, as the gateway
     * computes them for {@code GET /key}.
     */
    public record Periods(Instant day, Instant week, Instant month) {
        public static Periods of(Instant now) {
            ZonedDateTime day = ZonedDateTime.ofInstant(now, ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
            return new Periods(
                    day.toInstant(),
                    day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant(),
                    day.withDayOfMonth(1).toInstant());
        }
    }
}
