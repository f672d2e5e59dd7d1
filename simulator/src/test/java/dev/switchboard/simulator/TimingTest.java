package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.chat;
import static dev.switchboard.simulator.SimulatorClient.streaming;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lower bounds only: a slow machine may always be slower, never faster. */
class TimingTest {

    private static UpstreamSimulator simulator;
    private static SimulatorClient client;

    @BeforeAll
    static void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        client = new SimulatorClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void waitsAtLeastTheTimeToFirstToken() throws Exception {
        ObjectNode request = streaming("slow start");
        request.putObject("simulator").put("ttft_ms", 250);
        long start = System.nanoTime();
        client.post(request);
        ObjectNode whole = chat("slow start");
        whole.putObject("simulator").put("ttft_ms", 250);
        long middle = System.nanoTime();
        client.post(whole);

        assertThat(Duration.ofNanos(middle - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(Duration.ofNanos(System.nanoTime() - middle)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void pacesTokensAtTheRequestedRate() throws Exception {
        ObjectNode request = streaming("paced");
        request.putObject("simulator").put("output_tokens", 11).put("tokens_per_second", 50);
        long start = System.nanoTime();
        client.post(request);

        // 11 tokens at 50/s: 10 intervals of 20 ms after the first
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void appliesTheConfiguredDefaultTimeToFirstToken() throws Exception {
        try (UpstreamSimulator slow = UpstreamSimulator.start(
                SimulatorOptions.defaults().withDefaultTimeToFirstToken(Duration.ofMillis(150)))) {
            long start = System.nanoTime();
            new SimulatorClient(slow).post(chat("default delay"));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }
}
