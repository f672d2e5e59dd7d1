package dev.switchboard.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.LimitReset;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The spending fields of {@code POST /keys} and {@code PATCH /keys/{hash}}: {@code limit} (USD, a
 * number or a decimal string, exact; null for none), {@code limit_reset} ({@code daily}, {@code weekly},
 * {@code monthly} or null), {@code include_byok_in_limit} and {@code expires_at} (ISO-8601 in UTC, with
 * {@code Z}; null for never). A field left out is left as it is; each wrong value is a 400 naming it.
 */
final class KeySpendingFields {
    static final Set<String> FIELDS = Set.of("limit", "limit_reset", "include_byok_in_limit", "expires_at");
    /** A limit above a trillion dollars is a typo. */
    private static final BigDecimal MAX_LIMIT = new BigDecimal("1000000000000");

    private KeySpendingFields() {}

    /**
     * The change the body asks for; empty when it names none of the fields. Each field is read as an
     * optional change to an optional value: absent leaves it, null clears it.
     */
    @SuppressWarnings("OptionalMapToOptional") // the nesting is the point: absent and null differ
    static Optional<UnaryOperator<ApiKey.Spending>> read(JsonNode body) {
        if (FIELDS.stream().noneMatch(body::has)) {
            return Optional.empty();
        }
        Optional<Optional<BigDecimal>> limit = field(body, "limit").map(KeySpendingFields::limit);
        Optional<Optional<LimitReset>> reset = field(body, "limit_reset").map(KeySpendingFields::reset);
        Optional<Boolean> byok = field(body, "include_byok_in_limit").map(KeySpendingFields::bool);
        Optional<Optional<Instant>> expires = field(body, "expires_at").map(KeySpendingFields::expiry);
        return Optional.of(current -> new ApiKey.Spending(
                limit.orElse(current.limit()),
                reset.orElse(current.reset()),
                byok.orElse(current.includeByokInLimit()),
                expires.orElse(current.expiresAt())));
    }

    private static Optional<JsonNode> field(JsonNode body, String name) {
        return Optional.ofNullable(body.get(name));
    }

    private static Optional<BigDecimal> limit(JsonNode value) {
        if (value.isNull()) {
            return Optional.empty();
        }
        BigDecimal limit = UsdAmount.read(value)
                .orElseThrow(() -> invalid("limit", "`limit` must be a number of USD, or null for no limit"));
        if (limit.signum() < 0 || limit.compareTo(MAX_LIMIT) > 0) {
            throw invalid("limit", "`limit` must be from 0 to " + MAX_LIMIT.toPlainString() + " USD");
        }
        return Optional.of(limit);
    }

    private static Optional<LimitReset> reset(JsonNode value) {
        if (value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(LimitReset.parse(value.isTextual() ? value.textValue() : "")
                .orElseThrow(() ->
                        invalid("limit_reset", "`limit_reset` must be \"daily\", \"weekly\", \"monthly\" or null")));
    }

    private static boolean bool(JsonNode value) {
        if (!value.isBoolean()) {
            throw invalid("include_byok_in_limit", "`include_byok_in_limit` must be a boolean");
        }
        return value.booleanValue();
    }

    private static Optional<Instant> expiry(JsonNode value) {
        if (value.isNull()) {
            return Optional.empty();
        }
        String text = value.isTextual() ? value.textValue().strip() : "";
        if (!text.endsWith("Z") || text.length() > 40) {
            throw invalid("expires_at", "`expires_at` must be an ISO-8601 time in UTC, such as 2027-01-31T00:00:00Z");
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw invalid("expires_at", "`expires_at` must be an ISO-8601 time in UTC, such as 2027-01-31T00:00:00Z");
        }
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
