package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.streaming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

class ClientDisconnectTest {

    private UpstreamSimulator simulator;
    private SimulatorClient client;

    @BeforeEach
    void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        client = new SimulatorClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void countsAStreamAbortedWhenTheClientClosesEarly() throws Exception {
        ObjectNode request = streaming("long answer");
        request.putObject("simulator").put("output_tokens", 2_000).put("tokens_per_second", 200);
        HttpResponse<InputStream> response = client.open(request);
        BufferedReader reader = SimulatorClient.reader(response);
        assertThat(SimulatorClient.readEvents(reader, 3)).hasSize(3);
        assertThat(simulator.stats().activeStreams()).isEqualTo(1);

        response.body().close();

        assertThat(simulator.stats().awaitAbortedStreams(1, Duration.ofSeconds(5))).isTrue();
        assertThat(simulator.stats().streamsCompleted()).isZero();
        assertThat(simulator.stats().activeStreams()).isZero();
    }

    @Test
    void noticesAClientThatLeftDuringTheTimeToFirstToken() throws Exception {
        ObjectNode request = streaming("too slow");
        request.putObject("simulator").put("ttft_ms", 300).put("output_tokens", 5_000);
        HttpRequest impatient = client.request(request.toString()).timeout(Duration.ofMillis(100)).build();

        assertThatThrownBy(() -> client.send(impatient)).isInstanceOf(HttpTimeoutException.class);
        assertThat(simulator.stats().awaitAbortedStreams(1, Duration.ofSeconds(5))).isTrue();
        assertThat(simulator.stats().streamsCompleted()).isZero();
    }
}
