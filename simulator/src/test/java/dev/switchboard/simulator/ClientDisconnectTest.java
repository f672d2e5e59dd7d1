package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.streaming;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

        assertThat(simulator.stats().awaitAbortedStreams(1, Duration.ofSeconds(5)))
                .isTrue();
        assertThat(simulator.stats().streamsCompleted()).isZero();
        assertThat(simulator.stats().activeStreams()).isZero();
    }

    /**
     * The client hangs up while the simulator is still in its time to first token. A raw socket closes
     * exactly then; an HTTP client's timeout would leave closing the connection to the client library.
     */
    @Test
    void noticesAClientThatLeftDuringTheTimeToFirstToken() throws Exception {
        ObjectNode request = streaming("too slow");
        request.putObject("simulator").put("ttft_ms", 300).put("output_tokens", 5_000);
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        URI base = simulator.baseUrl();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream()
                    .write(("POST " + base.getPath() + "/chat/completions HTTP/1.1\r\nHost: x\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (simulator.stats().activeStreams() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(simulator.stats().activeStreams())
                    .as("the stream is waiting out its time to first token")
                    .isEqualTo(1);
        }

        assertThat(simulator.stats().awaitAbortedStreams(1, Duration.ofSeconds(5)))
                .isTrue();
        assertThat(simulator.stats().streamsCompleted()).isZero();
    }
}
