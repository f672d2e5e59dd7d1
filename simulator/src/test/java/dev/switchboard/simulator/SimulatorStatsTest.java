package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatorStatsTest {

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
    void recordsTheLastBodyAndHeadersExactlyAsReceived() throws Exception {
        ObjectNode request = chat("what did the gateway forward?");
        request.put("temperature", 0.25).put("user", "tester");
        client.post(request, "Authorization", "Bearer sk-sim", "X-Custom-Thing", "yes");

        assertThat(simulator.stats().requestsReceived()).isEqualTo(1);
        assertThat(simulator.stats().lastRequestBody()).hasValue(request);
        assertThat(simulator.stats().lastRequestHeaders())
                .containsEntry("authorization", "Bearer sk-sim")
                .containsEntry("x-custom-thing", "yes")
                .containsEntry("content-type", "application/json");
    }

    @Test
    void handsOutCopiesOfTheLastBody() throws Exception {
        client.post(chat("immutable"));
        simulator.stats().lastRequestBody().orElseThrow().put("model", "tampered");

        assertThat(simulator
                        .stats()
                        .lastRequestBody()
                        .orElseThrow()
                        .path("model")
                        .asText())
                .isEqualTo("sim-small");
    }

    @Test
    void countsUnparsableRequestsAndForgetsTheLastBody() throws Exception {
        client.post(chat("first"));
        client.post("not json");

        assertThat(simulator.stats().requestsReceived()).isEqualTo(2);
        assertThat(simulator.stats().lastRequestBody()).isEmpty();
    }

    @Test
    void reportsATimeoutWhenTooFewStreamsEnded() throws Exception {
        assertThat(simulator.stats().awaitAbortedStreams(1, Duration.ofMillis(50)))
                .isFalse();
        assertThat(simulator.stats().awaitAbortedStreams(0, Duration.ZERO)).isTrue();
        assertThat(simulator.stats().awaitCompletedStreams(1, Duration.ofMillis(50)))
                .isFalse();
    }

    @Test
    void listsTheAuthorizationOfEveryRequestInOrder() throws Exception {
        client.post(chat("one"), "Authorization", "Bearer sk-first");
        client.post(chat("two"));
        client.post("not json", "Authorization", "Bearer sk-third");

        assertThat(simulator.stats().authorizations()).containsExactly("Bearer sk-first", "", "Bearer sk-third");
    }

    @Test
    void refusesACredentialATestRevokedAndServesItAgainOnceAccepted() throws Exception {
        simulator.refuseCredential("sk-revoked", 401);

        HttpResponse<String> refused = client.post(chat("hello"), "Authorization", "Bearer sk-revoked");
        HttpResponse<String> other = client.post(chat("hello"), "Authorization", "Bearer sk-valid");
        simulator.acceptCredential("sk-revoked");
        HttpResponse<String> again = client.post(chat("hello"), "Authorization", "Bearer sk-revoked");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(SimulatorClient.json(refused.body())
                        .path("error")
                        .path("code")
                        .asText())
                .isEqualTo("invalid_api_key");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(simulator.stats().requestsReceived()).isEqualTo(3);
    }
}
