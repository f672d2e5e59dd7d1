package dev.switchboard.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** An exact amount of USD in a request body: a JSON number or a decimal string (of 40 characters at most). */
final class UsdAmount {
    private UsdAmount() {}

    /** The amount, trailing zeros stripped; empty when the value is neither a number nor a decimal string. */
    static Optional<BigDecimal> read(@Nullable JsonNode value) {
        try {
            if (value != null && value.isNumber()) {
                return Optional.of(strip(new BigDecimal(value.asText())));
            }
            if (value != null && value.isTextual() && value.textValue().length() <= 40) {
                return Optional.of(strip(new BigDecimal(value.textValue().strip())));
            }
        } catch (NumberFormatException e) {
            // not an amount
        }
        return Optional.empty();
    }

    private static BigDecimal strip(BigDecimal amount) {
        return amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
    }
}
