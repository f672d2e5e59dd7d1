package dev.switchboard.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import dev.switchboard.simulator.UnacceptingListener;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code timeouts.connect} through the whole gateway: the provider's port never completes a TCP
 * handshake (see {@link UnacceptingListener}), so the attempt ends at the connect timeout with 504 in
 * OpenRouter's envelope, or, for a stream already committed by keep-alives, with an in-band 504 and
 * {@code [DONE]}. The connect timeout (400 ms) is set well below the first-byte timeout (1.5 s) so that
 * it is the connect limit that fires.
 */
class ConnectTimeoutTest {
    private static final String MESSAGE = GatewayHarness.EXTRA_PROVIDER_NAME + " did not accept the connection in time";
    private static UnacceptingListener listener;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        listener = UnacceptingListener.open();
        gateway = GatewayHarness.start(Map.of("SWITCHBOARD_TIMEOUTS_CONNECT", "400ms"), "", listener.baseUrl());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        listener.close();
    }

    @Test
    void answers504WhenTheProviderDoesNotAcceptTheConnectionInTime() {
        HttpResponse<String> response = gateway.post(
                "/chat/completions",
                "{\"model\":\"" + GatewayHarness.EXTRA_MODEL
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode error = GatewayHarness.json(response).path("error");
        assertThat(error.path("code").isInt()).as("numeric code in %s", error).isTrue();
        assertThat(error.path("code").asInt()).isEqualTo(504);
        assertThat(error.path("message").asText()).isEqualTo(MESSAGE);
        assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo(GatewayHarness.EXTRA_PROVIDER_NAME);
        assertThat(error.path("metadata").path("error_type").asText()).isEqualTo("timeout");
        assertThat(error.path("metadata").has("provider_code"))
                .as("no provider answered, so no provider code")
                .isFalse();
    }

    @Test
    void endsAStreamCommittedByKeepAlivesWithAnInBand504ThenDone() {
        StreamedResponse stream = gateway.stream(
                "{\"model\":\"" + GatewayHarness.EXTRA_MODEL + "\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.comments())
                .as("keep-alives committed the stream before the timeout")
                .isNotEmpty();
        assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
        JsonNode chunk = stream.chunks().getLast();
        assertThat(chunk.path("error").path("code").asInt())
                .as("in-band error in %s", chunk)
                .isEqualTo(504);
        assertThat(chunk.path("error").path("message").asText()).isEqualTo(MESSAGE);
        assertThat(chunk.path("error").path("metadata").path("provider_name").asText())
                .isEqualTo(GatewayHarness.EXTRA_PROVIDER_NAME);
        assertThat(chunk.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    }
}
