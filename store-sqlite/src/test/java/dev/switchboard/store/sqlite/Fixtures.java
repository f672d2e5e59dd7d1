package dev.switchboard.store.sqlite;

import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.keys.ApiKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/** Records for the storage tests. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2025-03-19T12:00:00Z");

    private Fixtures() {
    }

    static ApiKey key(String name, Instant createdAt) {
        String hash = String.format("%064x", new java.math.BigInteger(1, name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new ApiKey(hash, name, "sk-sb-v1-abc...xyz", false, false, createdAt, createdAt);
    }

    static GenerationRecord generation(String id, String keyHash, Instant createdAt, String cost) {
        return new GenerationRecord(id, createdAt, keyHash, "acme/chat", "mock", "Mock Cloud", "chatcmpl-" + id, false, false,
                "stop", "stop", 10, 20, 0, 0, new BigDecimal(cost), 100, 80, 20, Optional.empty(), Optional.empty(),
                Optional.empty(), 200, Optional.empty(), false);
    }
}
