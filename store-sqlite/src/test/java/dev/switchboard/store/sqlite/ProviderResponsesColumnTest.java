package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.generation.ProviderResponse;
import dev.switchboard.core.storage.StorageException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderResponsesColumnTest {
    @Test
    void noAttemptsIsNullAndNullIsNoAttempts() {
        assertThat(ProviderResponsesColumn.write(List.of())).isNull();
        assertThat(ProviderResponsesColumn.read(null)).isEmpty();
    }

    @Test
    void attemptsRoundTripInOrderWithTheirOptionalFields() {
        List<ProviderResponse> attempts = List.of(
                new ProviderResponse(
                        "a", "A \"Cloud\"\n", "acme/x", Optional.empty(), 502, 7, Optional.of("provider_error"), false),
                new ProviderResponse(
                        "b", "B", "acme/x", Optional.empty(), 401, 5, Optional.of("x"), Optional.empty(), false, true),
                new ProviderResponse("b", "B", "acme/x", Optional.of("chatcmpl-1"), 200, 99, Optional.empty(), true));

        String column = ProviderResponsesColumn.write(attempts);

        assertThat(column).startsWith("[{\"provider_slug\":\"a\"");
        assertThat(ProviderResponsesColumn.read(column)).isEqualTo(attempts);
    }

    @Test
    void fieldsAVersionDoesNotKnowAreSkipped() {
        assertThat(ProviderResponsesColumn.read("[{\"provider_slug\":\"a\",\"provider_name\":\"A\",\"model\":\"m\","
                        + "\"later\":{\"x\":[1,2]},\"status\":200,\"latency_ms\":3,\"billed\":true}]"))
                .containsExactly(new ProviderResponse("a", "A", "m", Optional.empty(), 200, 3, Optional.empty(), true));
    }

    @Test
    void aDamagedColumnIsAStorageFailureNotABug() {
        for (String damaged :
                List.of("", "{}", "[{\"provider_slug\":1", "[{\"status\":\"x\"}]", "[{\"status\":200}]")) {
            assertThatThrownBy(() -> ProviderResponsesColumn.read(damaged))
                    .as(damaged)
                    .isInstanceOf(StorageException.class)
                    .extracting(e -> ((StorageException) e).reason())
                    .isEqualTo(StorageException.Reason.FAILED);
        }
    }
}
