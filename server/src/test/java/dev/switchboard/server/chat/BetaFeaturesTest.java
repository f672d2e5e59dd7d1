package dev.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.error.GatewayException;
import org.junit.jupiter.api.Test;

/** The {@code x-anthropic-beta} header read into the request's beta features, bounded. */
class BetaFeaturesTest {

    @Test
    void readsACommaSeparatedListSkippingBlanks() {
        assertThat(BetaFeatures.parse(" interleaved-thinking-2025-05-14, ,structured-outputs-2025-11-13 "))
                .containsExactly("interleaved-thinking-2025-05-14", "structured-outputs-2025-11-13");
    }

    @Test
    void refusesAFlagThatCouldNotBeOneAndTooManyFlags() {
        GatewayException odd = catchThrowableOfType(GatewayException.class, () -> BetaFeatures.parse("a b"));
        GatewayException many = catchThrowableOfType(
                GatewayException.class,
                () -> BetaFeatures.parse(String.join(",", java.util.Collections.nCopies(17, "f"))));

        assertThat(odd.status()).isEqualTo(400);
        assertThat(many.status()).isEqualTo(400);
    }
}
