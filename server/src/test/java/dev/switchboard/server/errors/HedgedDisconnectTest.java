package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StallingUpstream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that leaves while a hedged request has two attempts under way cancels both: neither upstream
 * connection is left hanging, and the record lists both attempts as cancelled, with nothing billed.
 */
class HedgedDisconnectTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void theClientLeavingCancelsEveryAttemptUnderWay() throws Exception {
        try (StallingUpstream stalling = StallingUpstream.start();
                GatewayHarness gateway = GatewayHarness.start(
                        Map.of("SWITCHBOARD_TIMEOUTS_FIRST_BYTE", "20s"), "", stalling.baseUrl())) {
            long aborted = gateway.simulator().stats().abortedStreams();
            String body = "{\"model\":\"" + GatewayHarness.FALLBACK_MODEL + "\",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"simulator\":{\"ttft_ms\":3000},"
                    + "\"provider\":{\"order\":[\"extra\",\"mock\"],\"hedge\":{\"after_ms\":50}}}";
            String id;
            try (RawConnection connection =
                    RawConnection.post(URI.create(gateway.baseUrl() + "/chat/completions"), gateway.apiKey(), body)) {
                assertThat(connection.statusLine()).contains(" 200");
                id = connection.header("X-Generation-Id");
                // the second keep-alive comes after 400 ms, well after the hedge started
                connection.readUntil(line -> line.equals(": OPENROUTER PROCESSING"), 2);
            }

            assertThat(stalling.awaitAllClosed(PATIENCE)).isTrue();
            assertThat(gateway.simulator().stats().awaitAbortedStreams(aborted + 1, PATIENCE))
                    .isTrue();
            JsonNode generation = Generations.await(gateway, id, PATIENCE);
            assertThat(generation.path("cancelled").asBoolean()).isTrue();
            assertThat(generation.path("total_cost").decimalValue()).isZero();
            JsonNode attempts = generation.path("provider_responses");
            assertThat(attempts).hasSize(2);
            assertThat(attempts)
                    .allSatisfy(a -> assertThat(a.path("left_because").asText()).isEqualTo("cancelled"));
        }
    }
}
