package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads generation records, waiting for those of requests the gateway is still finishing. */
final class Generations {
    private Generations() {}

    /**
     * The {@code data} of {@code GET /generation?id=…} with the harness's API key. A request whose
     * client hung up is recorded once the gateway notices, a moment later, so a 404 is retried
     * until {@code patience} runs out.
     */
    static JsonNode await(GatewayHarness gateway, String id, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        HttpResponse<String> response = gateway.get("/generation?id=" + id, gateway.apiKey());
        while (response.statusCode() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = gateway.get("/generation?id=" + id, gateway.apiKey());
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response).path("data");
    }
}
