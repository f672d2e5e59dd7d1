package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator speaks HTTP/2 beside HTTP/1.1, and counts connections rather than streams. */
class Http2Test {
    private UpstreamSimulator simulator;

    @BeforeEach
    void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void answersOverH2cAfterAnUpgrade() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        // the upgrade is made on a request without a body; the chat then goes over the upgraded connection
        HttpResponse<String> models = http.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/models"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = http.send(chatRequest(), HttpResponse.BodyHandlers.ofString());

        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
        JsonNode body = SimulatorClient.json(second.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(simulator.stats().connections()).isEqualTo(1);
    }

    @Test
    void countsEachHttp11ConnectionOnce() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> first = http.send(chatRequest(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = http.send(chatRequest(), HttpResponse.BodyHandlers.ofString());

        assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(simulator.stats().connections()).isEqualTo(1);
    }

    private HttpRequest chatRequest() {
        return HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        SimulatorClient.chat("hello").toString()))
                .build();
    }
}
