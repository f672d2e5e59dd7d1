package dev.switchboard.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.ErrorType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamFailureTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "400, REJECTED",
        "413, REJECTED",
        "422, REJECTED",
        "401, PROVIDER_CLIENT_ERROR",
        "403, PROVIDER_CLIENT_ERROR",
        "404, PROVIDER_CLIENT_ERROR",
        "408, PROVIDER_CLIENT_ERROR",
        "429, RATE_LIMITED",
        "500, SERVER_ERROR",
        "502, SERVER_ERROR",
        "503, SERVER_ERROR",
        "529, SERVER_ERROR",
    })
    void classifiesUpstreamStatuses(int status, UpstreamFailure expected) {
        assertThat(UpstreamFailure.ofStatus(status)).isEqualTo(expected);
    }

    @Test
    void rejectedRequestKeepsTheProvidersStatusForTheClient() {
        UpstreamException e =
                new UpstreamException(UpstreamFailure.REJECTED, "Acme", 422, "bad", "{\"error\":{}}", null);

        assertThat(e.status()).isEqualTo(422);
        assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
        assertThat(e.metadata())
                .containsEntry("provider_name", "Acme")
                .containsEntry("raw", "{\"error\":{}}")
                .containsEntry("provider_code", "422");
    }

    @Test
    void otherFailuresUseTheirClassificationsStatus() {
        assertThat(new UpstreamException(UpstreamFailure.SERVER_ERROR, "Acme", 503, "down", null, null).status())
                .isEqualTo(502);
        assertThat(new UpstreamException(UpstreamFailure.RATE_LIMITED, "Acme", 429, "slow", null, Duration.ofSeconds(3))
                        .status())
                .isEqualTo(429);
        assertThat(UpstreamException.of(UpstreamFailure.FIRST_BYTE_TIMEOUT, "Acme", "late")
                        .status())
                .isEqualTo(504);
        assertThat(UpstreamException.of(UpstreamFailure.CONNECT, "Acme", "refused")
                        .status())
                .isEqualTo(502);
    }

    @Test
    void metadataLeavesOutWhatIsUnknown() {
        UpstreamException e = UpstreamException.of(UpstreamFailure.CONNECT, "Acme", "refused");

        assertThat(e.metadata()).containsOnlyKeys("provider_name", "error_type");
        assertThat(e.upstreamStatus()).isZero();
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void metricTagsAreDistinct() {
        assertThat(java.util.Arrays.stream(UpstreamFailure.values())
                        .map(UpstreamFailure::metricTag)
                        .distinct())
                .hasSize(UpstreamFailure.values().length);
    }
}
