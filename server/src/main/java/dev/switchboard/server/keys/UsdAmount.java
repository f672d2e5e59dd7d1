package dev.switchboard.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An exact amount of USD in a request body: a JSON number or a decimal string (of 40 characters at
 * most), with at most {@value #MAX_DECIMALS} decimal places and {@value #MAX_WHOLE_DIGITS} whole digits.
 * The bounds matter: {@code 1E-999999999} is a valid decimal whose plain text is a billion characters.
 */
final class UsdAmount {
    static final int MAX_DECIMALS = 18;
    static final int MAX_WHOLE_DIGITS = 15;

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
        if (amount.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > MAX_DECIMALS || stripped.precision() - stripped.scale() > MAX_WHOLE_DIGITS) {
            throw new NumberFormatException("out of bounds");
        }
        return stripped;
    }
}
