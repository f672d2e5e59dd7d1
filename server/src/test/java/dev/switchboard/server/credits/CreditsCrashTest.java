package dev.switchboard.server.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.GatewayProcess;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The books survive {@code kill -9} mid-load. A gateway with credits enforced and a small grant answers a
 * burst of quick requests while slow ones hold most of the balance (a request needing most of it is
 * refused); it is killed while the slow ones wait for their first token (or, on a slow machine, after
 * their first-byte timeout, which bills nothing). After a restart every answered request is in the ledger, the workspace's
 * usage is exactly the sum of their costs, and no hold of the killed requests is left: a request whose
 * worst case needs nearly all the balance left is admitted.
 */
class CreditsCrashTest {
    private static final int QUICK = 10;
    private static final int SLOW = 12;
    private static final String GRANT = "0.05";

    @Test
    void afterAKillEveryAnsweredRequestIsBilledAndNoHoldIsLeft() throws Exception {
        Path directory = Files.createTempDirectory("switchboard-credits-crash");
        Path dataDir = directory.resolve("data");
        List<String> answered = new ArrayList<>();
        BigDecimal shown = BigDecimal.ZERO;
        try (UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorOptions.defaults())) {
            Path config = directory.resolve("switchboard.yaml");
            Files.writeString(config, GatewayProcess.configYaml(simulator.baseUrl(), "credits:\n  enforce: true\n"));
            String key;
            try (GatewayProcess gateway = GatewayProcess.start(config, dataDir, List.of());
                    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                key = gateway.createKey("crash");
                HttpResponse<String> granted = gateway.send(
                        "POST", "/credits/grants", GatewayHarness.ADMIN_KEY, "{\"amount\":\"" + GRANT + "\"}");
                assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
                long before = simulator.stats().requestsReceived();
                List<Future<HttpResponse<String>>> slow = new ArrayList<>();
                for (int i = 0; i < SLOW; i++) {
                    // 2,000 tokens at most: 0.003 USD held each, most of the grant held by the twelve
                    slow.add(clients.submit(() -> gateway.send("POST", "/chat/completions", key, body(2000, 5000))));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (simulator.stats().requestsReceived() < before + SLOW && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(gateway.send("POST", "/chat/completions", key, body(30_000, 0))
                                .statusCode())
                        .as("the slow requests hold most of the grant")
                        .isEqualTo(402);
                List<Future<HttpResponse<String>>> quick = new ArrayList<>();
                for (int i = 0; i < QUICK; i++) {
                    quick.add(clients.submit(() -> gateway.send("POST", "/chat/completions", key, body(8, 0))));
                }
                for (Future<HttpResponse<String>> answer : quick) {
                    HttpResponse<String> response = answer.get();
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    JsonNode completion = GatewayHarness.json(response);
                    answered.add(completion.path("id").asText());
                    shown = shown.add(completion.path("usage").path("cost").decimalValue());
                }
                gateway.kill();
                slow.forEach(f -> f.cancel(true));
            }

            try (GatewayProcess restarted = GatewayProcess.start(config, dataDir, List.of())) {
                BigDecimal recorded = BigDecimal.ZERO;
                for (String id : answered) {
                    recorded = recorded.add(
                            restarted.generation(id, key).path("total_cost").decimalValue());
                }
                assertThat(recorded).isEqualByComparingTo(shown);
                JsonNode credits = GatewayHarness.json(
                                restarted.send("GET", "/credits", GatewayHarness.ADMIN_KEY, null))
                        .path("data");
                assertThat(credits.path("total_credits").decimalValue()).isEqualByComparingTo(GRANT);
                assertThat(credits.path("total_usage").decimalValue())
                        .as("the ledger holds exactly the answered requests")
                        .isEqualByComparingTo(shown);

                // 30,000 tokens at most: 0.045 USD, more than the grant less the slow requests' holds
                HttpResponse<String> large = restarted.send("POST", "/chat/completions", key, body(30_000, 0));
                assertThat(large.statusCode()).as(large.body()).isEqualTo(200);
            }
        }
    }

    private static String body(int maxTokens, int timeToFirstTokenMs) {
        return "{\"model\":\"" + GatewayHarness.MODEL + "\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"simulator\":{\"ttft_ms\":"
                + timeToFirstTokenMs + ",\"output_tokens\":8}}";
    }
}
