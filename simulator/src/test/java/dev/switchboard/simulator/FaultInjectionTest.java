package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.chat;
import static dev.switchboard.simulator.SimulatorClient.events;
import static dev.switchboard.simulator.SimulatorClient.json;
import static dev.switchboard.simulator.SimulatorClient.streaming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private static UpstreamSimulator simulator;
    private static SimulatorClient client;

    @BeforeAll
    static void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults().withDefaultOutputTokens(8));
        client = new SimulatorClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void answersARateLimitWithRetryAfterAndAnOpenAiErrorBody() throws Exception {
        HttpResponse<String> response = client.post(withFault(chat("hi"), "status", "status", 429, "retry_after", 7));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
        assertThat(response.headers().firstValue("x-simulator")).hasValue("switchboard");
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("message").asText()).startsWith("Simulated");
        assertThat(error.path("type").asText()).isEqualTo("requests");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void answersServerErrorsAsServerErrorWithoutRetryAfterUnlessAsked() throws Exception {
        HttpResponse<String> response = client.post(withFault(streaming("hi"), "status", "status", 503));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).isEmpty();
        assertThat(json(response.body()).path("error").path("type").asText()).isEqualTo("server_error");
    }

    @Test
    void defaultsTheSimulatedStatusTo500() throws Exception {
        assertThat(client.post(withFault(chat("hi"), "status")).statusCode()).isEqualTo(500);
    }

    @Test
    void hangsBeforeHeadersUntilTheClientGivesUp() {
        ObjectNode request = withFault(chat("hello?"), "hang_before_headers");
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.send(client.request(request.toString())
                        .timeout(Duration.ofMillis(300))
                        .build()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void closesWithoutAResponseWhenTheHangIsOver() {
        ObjectNode request = withFault(chat("hello?"), "hang_before_headers", "hang_ms", 100);

        assertThatThrownBy(() -> client.post(request))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void resetsMidStreamSoTheClientSeesAnAbruptEnd() throws Exception {
        ObjectNode request =
                withFault(streaming("reset me"), "reset_mid_stream", "fault_after_tokens", 2, "tokens_per_second", 10);
        HttpResponse<InputStream> response = client.open(request);
        assertThat(response.statusCode()).isEqualTo(200);

        List<String> received = new ArrayList<>();
        BufferedReader reader = SimulatorClient.reader(response);
        assertThatThrownBy(() -> {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        received.add(line);
                    }
                })
                .isInstanceOf(IOException.class);
        assertThat(received).filteredOn(line -> line.startsWith("data: ")).hasSize(1 + 2);
        assertThat(received).doesNotContain("data: [DONE]");
    }

    @Test
    void resetsMidBodyForANonStreamingRequest() {
        ObjectNode request = withFault(chat("reset me"), "reset_mid_stream");

        assertThatThrownBy(() -> client.post(request)).isInstanceOf(IOException.class);
    }

    @Test
    void sendsAMalformedChunkAfterTheGivenTokensThenCarriesOn() throws Exception {
        ObjectNode request = withFault(streaming("garble"), "malformed_chunk", "fault_after_tokens", 1);
        List<String> events = events(client.post(request).body());

        assertThat(events.get(2)).isEqualTo("{this is not json");
        assertThat(events).hasSize(1 + 1 + 1 + 7 + 1 + 1).last().isEqualTo("[DONE]");
    }

    @Test
    void answersAMalformedBodyForANonStreamingRequest() throws Exception {
        HttpResponse<String> response = client.post(withFault(chat("garble"), "malformed_chunk"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{this is not json");
    }

    @Test
    void stallsMidStreamWithTheConnectionOpen() throws Exception {
        ObjectNode request = withFault(streaming("stall"), "stall_mid_stream", "fault_after_tokens", 2);
        HttpResponse<InputStream> response = client.open(request);
        BufferedReader reader = SimulatorClient.reader(response);
        assertThat(SimulatorClient.readEvents(reader, 3)).hasSize(3);

        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<String>> next = executor.submit(() -> SimulatorClient.readEvents(reader, 1));
            assertThatThrownBy(() -> next.get(400, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            response.body().close();
            next.cancel(true);
        }
    }

    @Test
    void resumesAfterAShortStall() throws Exception {
        ObjectNode request = withFault(streaming("stall"), "stall_mid_stream", "hang_ms", 200);
        long start = System.nanoTime();
        List<String> events = events(client.post(request).body());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(events).hasSize(1 + 8 + 1 + 1).last().isEqualTo("[DONE]");
    }

    @Test
    void answersAnEmptyBody() throws Exception {
        HttpResponse<String> response = client.post(withFault(streaming("nothing"), "empty_body"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    }

    /** Adds {@code "simulator": {"fault": fault, key: value, …}}. */
    private static ObjectNode withFault(ObjectNode request, String fault, Object... pairs) {
        ObjectNode controls = request.putObject("simulator").put("fault", fault);
        for (int i = 0; i < pairs.length; i += 2) {
            controls.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return request;
    }
}
