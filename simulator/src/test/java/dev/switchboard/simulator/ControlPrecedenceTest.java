package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.chat;
import static dev.switchboard.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ControlPrecedenceTest {

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
    void appliesHeaderControls() throws Exception {
        HttpResponse<String> response =
                client.post(chat("headers"), "X-Sim-Fault", "status", "X-Sim-Status", "401", "X-Sim-Retry-After", "3");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("retry-after")).hasValue("3");
        assertThat(json(response.body()).path("error").path("code").asText()).isEqualTo("invalid_api_key");
    }

    @Test
    void letsTheBodyWinOverAHeaderNamingTheSameControl() throws Exception {
        ObjectNode request = chat("both");
        request.putObject("simulator").put("output_tokens", 3);
        HttpResponse<String> response = client.post(request, "X-Sim-Output-Tokens", "9", "X-Sim-Reasoning-Tokens", "2");

        assertThat(json(response.body()).path("usage").path("completion_tokens").asInt())
                .isEqualTo(3 + 2);
    }

    @Test
    void readsNumericAndBooleanControlsGivenAsStrings() throws Exception {
        ObjectNode request = chat("strings");
        request.putObject("simulator").put("output_tokens", "2").put("tool_call", "false");

        assertThat(json(client.post(request).body())
                        .path("usage")
                        .path("completion_tokens")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void rejectsAMalformedHeaderControl() throws Exception {
        HttpResponse<String> response = client.post(chat("bad header"), "X-Sim-Ttft-Ms", "soon");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("param").asText()).isEqualTo("simulator.ttft_ms");
    }
}
