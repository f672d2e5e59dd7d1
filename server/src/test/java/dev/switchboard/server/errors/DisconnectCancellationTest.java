package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up mid-stream, or while waiting for the first token, cancels the upstream call
 * (the simulator sees its stream abandoned) and the generation is recorded as cancelled, billed for
 * what was generated up to then. Each test waits for its own abort, so the counts do not leak between
 * tests. The first-byte timeout is set far above the simulator's time to first token, so that only the
 * disconnect, not the watchdog, can end the call early.
 */
class DisconnectCancellationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long TTFT_MS = 3000;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(Map.of("SWITCHBOARD_TIMEOUTS_FIRST_BYTE", "20s"), "");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void cancelsTheUpstreamStreamWhenTheClientDisconnectsMidStream() throws InterruptedException {
        long aborted = gateway.simulator().stats().abortedStreams();
        String id;
        try (RawConnection connection = RawConnection.post(
                chatUrl(), gateway.apiKey(), slowStream("\"tokens_per_second\":5,\"output_tokens\":200"))) {
            assertThat(connection.statusLine()).contains(" 200");
            id = connection.header("X-Generation-Id");
            connection.readUntil(line -> line.startsWith("data: {"), 3);
        }

        assertThat(gateway.simulator().stats().awaitAbortedStreams(aborted + 1, PATIENCE))
                .isTrue();
        JsonNode generation = Generations.await(gateway, id, PATIENCE);
        assertThat(generation.path("cancelled").asBoolean()).isTrue();
        assertThat(generation.path("streamed").asBoolean()).isTrue();
        assertThat(generation.path("tokens_completion").asLong()).isPositive().isLessThan(200);
        assertThat(generation.path("tokens_prompt").asLong()).isPositive();
        assertThat(generation.path("usage_estimated").asBoolean()).isTrue();
        assertThat(generation.path("total_cost").decimalValue()).isPositive();
    }

    @Test
    void cancelsTheUpstreamCallWhenTheClientDisconnectsBeforeTheFirstToken() throws InterruptedException {
        long aborted = gateway.simulator().stats().abortedStreams();
        String id;
        try (RawConnection connection = RawConnection.post(
                chatUrl(),
                gateway.apiKey(),
                slowStream("\"ttft_ms\":" + TTFT_MS + ",\"tokens_per_second\":20,\"output_tokens\":100"))) {
            assertThat(connection.statusLine()).contains(" 200");
            id = connection.header("X-Generation-Id");
            connection.readUntil(line -> line.equals(": OPENROUTER PROCESSING"), 1);
        }

        JsonNode generation = Generations.await(gateway, id, PATIENCE);
        assertThat(generation.path("cancelled").asBoolean()).isTrue();
        assertThat(generation.path("tokens_completion").asLong()).isZero();
        // the gateway gave up on the provider when the client left, not when the first token came
        assertThat(generation.path("latency").asLong()).isLessThan(TTFT_MS);
        // the simulator itself only notices when it writes its first chunk, after its time to first token
        assertThat(gateway.simulator().stats().awaitAbortedStreams(aborted + 1, PATIENCE))
                .isTrue();
    }

    private static URI chatUrl() {
        return URI.create(gateway.baseUrl() + "/chat/completions");
    }

    private static String slowStream(String controls) {
        return "{\"model\":\"acme/chat-small\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story\"}],"
                + "\"simulator\":{" + controls + "}}";
    }
}
