package dev.switchboard.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.keys.RateLimit;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The {@code rate_limit} field of {@code POST /keys} and {@code PATCH /keys/{hash}}, ours (OpenRouter
 * sells no such limit): {@code {"requests_per_minute": 60, "tokens_per_minute": 100000}}, each an integer
 * from 1 up, or null for none. A field left out is left as it is; {@code "rate_limit": null} removes both.
 * Each wrong value is a 400 whose {@code metadata.param} names it ({@code rate_limit.tokens_per_minute}).
 */
final class KeyRateLimitFields {
    static final String FIELD = "rate_limit";
    private static final String REQUESTS = "requests_per_minute";
    private static final String TOKENS = "tokens_per_minute";
    private static final Set<String> INNER = Set.of(REQUESTS, TOKENS);

    private KeyRateLimitFields() {}

    /** The change the body asks for; empty when it has no {@code rate_limit}. */
    static Optional<UnaryOperator<RateLimit>> read(JsonNode body) {
        JsonNode value = body.get(FIELD);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNull()) {
            return Optional.of(current -> RateLimit.NONE);
        }
        if (!value.isObject()) {
            throw invalid(
                    FIELD, "`rate_limit` must be an object with requests_per_minute and tokens_per_minute, or null");
        }
        value.fieldNames().forEachRemaining(name -> {
            if (!INNER.contains(name)) {
                throw invalid(
                        FIELD + "." + name,
                        "`rate_limit." + name + "` is not a rate limit field (requests_per_minute, tokens_per_minute)");
            }
        });
        Optional<OptionalLong> requests = Optional.ofNullable(value.get(REQUESTS))
                .map(v -> perMinute(v, REQUESTS, RateLimit.MAX_REQUESTS_PER_MINUTE));
        Optional<OptionalLong> tokens =
                Optional.ofNullable(value.get(TOKENS)).map(v -> perMinute(v, TOKENS, RateLimit.MAX_TOKENS_PER_MINUTE));
        return Optional.of(current ->
                new RateLimit(requests.orElse(current.requestsPerMinute()), tokens.orElse(current.tokensPerMinute())));
    }

    private static OptionalLong perMinute(JsonNode value, String name, long max) {
        if (value.isNull()) {
            return OptionalLong.empty();
        }
        if (value.isIntegralNumber()) {
            BigInteger number = value.bigIntegerValue();
            if (number.signum() > 0 && number.compareTo(BigInteger.valueOf(max)) <= 0) {
                return OptionalLong.of(number.longValueExact());
            }
        }
        throw invalid(
                FIELD + "." + name,
                "`rate_limit." + name + "` must be an integer from 1 to " + max + ", or null for no limit");
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
