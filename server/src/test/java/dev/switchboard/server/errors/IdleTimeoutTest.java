package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout counts from the last upstream byte, also when the provider stalls before the
 * first-byte deadline has passed. The first-byte timeout is set far above the idle one here, so a
 * watchdog that only looked at idleness once the first-byte deadline came would answer seconds late.
 */
class IdleTimeoutTest {
    private static final Duration FIRST_BYTE = Duration.ofSeconds(8);
    private static final Duration WELL_BEFORE_FIRST_BYTE_DEADLINE = Duration.ofSeconds(5);
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(Map.of("SWITCHBOARD_TIMEOUTS_FIRST_BYTE", FIRST_BYTE.toSeconds() + "s"), "");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void endsABodyThatStallsSoonAfterItsFirstByteAtTheIdleTimeout() {
        long started = System.nanoTime();

        HttpResponse<String> response = gateway.post("/chat/completions", """
                {"model":"acme/chat-small","messages":[{"role":"user","content":"hi"}],
                 "simulator":{"fault":"stall_mid_stream","hang_ms":7000}}
                """);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WELL_BEFORE_FIRST_BYTE_DEADLINE);
        ErrorEnvelope.expect(response, 504);
    }

    @Test
    void endsAStreamThatStallsSoonAfterItsFirstTokenAtTheIdleTimeout() {
        long started = System.nanoTime();

        StreamedResponse stream = gateway.stream("""
                {"model":"acme/chat-small","stream":true,"messages":[{"role":"user","content":"hi"}],
                 "simulator":{"fault":"stall_mid_stream","fault_after_tokens":1,"hang_ms":7000}}
                """, Map.of());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WELL_BEFORE_FIRST_BYTE_DEADLINE);
        assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
        ErrorEnvelope.expect(stream.chunks().getLast(), 504);
    }
}
