package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamSimulatorTest {

    @Test
    void failsToStartOnAPortThatIsTaken() {
        try (UpstreamSimulator first = UpstreamSimulator.start(SimulatorOptions.defaults())) {
            assertThatThrownBy(() ->
                            UpstreamSimulator.start(SimulatorOptions.defaults().withPort(first.port())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.valueOf(first.port()));
        }
    }

    @Test
    void answersAnUnknownPathWithOpenAisJsonError() throws Exception {
        try (UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorOptions.defaults())) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + simulator.port() + "/v1/embeddings"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(response.body())
                    .contains("\"type\":\"invalid_request_error\"")
                    .contains("Invalid URL (POST /v1/embeddings)");
        }
    }

    @Test
    void reportsAWildcardBindAsALoopbackBaseUrl() {
        try (UpstreamSimulator simulator =
                UpstreamSimulator.start(SimulatorOptions.defaults().withHost("0.0.0.0"))) {
            assertThat(simulator.baseUrl()).hasToString("http://127.0.0.1:" + simulator.port() + "/v1");
        }
    }

    @Test
    void stopsPromptlyWhileARequestHangs() throws Exception {
        UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        SimulatorClient client = new SimulatorClient(simulator);
        ObjectNode request = chat("hang forever");
        request.putObject("simulator").put("fault", "hang_before_headers");
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                client.post(request);
            } catch (Exception expected) {
                // the connection is dropped when the simulator stops
            }
        });
        awaitRequests(simulator, 1); // otherwise the simulator might stop before the hang even began

        long start = System.nanoTime();
        simulator.close();

        assertThat(caller.join(Duration.ofSeconds(3))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void parsesTheCommandLineOverPort18080() {
        assertThat(SimulatorMain.parse(new String[0]).port()).isEqualTo(18080);
        assertThat(SimulatorMain.parse(new String[] {"--port", "9000", "--host", "0.0.0.0", "--seed", "5"}))
                .isEqualTo(SimulatorOptions.defaults()
                        .withPort(9000)
                        .withHost("0.0.0.0")
                        .withSeed(5));
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--port"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--colour", "blue"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void awaitRequests(UpstreamSimulator simulator, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (simulator.stats().requestsReceived() < n) {
            assertThat(System.nanoTime())
                    .as("%d request(s) received within 5 s", n)
                    .isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
