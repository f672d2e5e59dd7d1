package dev.switchboard.server.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 500 requests at once against a room that pays for exactly {@value #AFFORDABLE} of them: a key's limit,
 * then a workspace's credits. Every request costs exactly its worst case (no prompt price, and the
 * simulator answers exactly {@code max_tokens} tokens), so at most that many can succeed, and the
 * books (the key's usage, the workspace's usage) agree to the last digit with the sum of the
 * {@code usage.cost} the clients were shown.
 */
class SpendLimitConcurrencyTest {
    private static final int REQUESTS = 500;
    private static final int AFFORDABLE = 7;
    /** 10 completion tokens at 0.000001 USD each. */
    private static final BigDecimal COST = new BigDecimal("0.00001");

    private static final String METERED_MODEL = """
              - id: acme/metered
                context_length: 8192
                endpoints:
                  - provider: mock
                    upstream_model: metered
                    pricing: { prompt: "0", completion: "0.000001" }
            """;
    private static final String BODY = "{\"model\":\"acme/metered\",\"max_tokens\":10,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"simulator\":{\"output_tokens\":10}}";

    @Test
    void aKeyLimitIsNeverOverspentUnderConcurrency() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), METERED_MODEL)) {
            HttpResponse<String> created = gateway.send(
                    "POST",
                    "/keys",
                    GatewayHarness.ADMIN_KEY,
                    "{\"name\":\"limited\",\"limit\":\""
                            + COST.multiply(BigDecimal.valueOf(AFFORDABLE)).toPlainString() + "\"}",
                    Map.of());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String key = GatewayHarness.json(created).path("key").asText();

            Outcome outcome = fire(gateway, key);

            assertThat(outcome.succeeded()).isBetween(1, AFFORDABLE);
            assertThat(outcome.refused()).isEqualTo(REQUESTS - outcome.succeeded());
            JsonNode current = GatewayHarness.json(gateway.get("/key", key)).path("data");
            assertThat(current.path("usage").decimalValue()).isEqualByComparingTo(outcome.billed());
            assertThat(current.path("limit_remaining").decimalValue())
                    .isEqualByComparingTo(
                            COST.multiply(BigDecimal.valueOf(AFFORDABLE)).subtract(outcome.billed()));
        }
    }

    @Test
    void aWorkspaceBalanceIsNeverOverspentUnderConcurrency() throws Exception {
        try (GatewayHarness gateway =
                GatewayHarness.start(Map.of("SWITCHBOARD_CREDITS_ENFORCE", "true"), METERED_MODEL)) {
            HttpResponse<String> granted = gateway.send(
                    "POST",
                    "/credits/grants",
                    GatewayHarness.ADMIN_KEY,
                    "{\"amount\":\""
                            + COST.multiply(BigDecimal.valueOf(AFFORDABLE)).toPlainString()
                            + "\",\"id\":\"test-grant\"}",
                    Map.of());
            assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);

            Outcome outcome = fire(gateway, gateway.apiKey());

            assertThat(outcome.succeeded()).isBetween(1, AFFORDABLE);
            JsonNode credits = GatewayHarness.json(gateway.get("/credits", GatewayHarness.ADMIN_KEY))
                    .path("data");
            assertThat(credits.path("total_usage").decimalValue()).isEqualByComparingTo(outcome.billed());
            assertThat(credits.path("total_credits").decimalValue())
                    .isEqualByComparingTo(COST.multiply(BigDecimal.valueOf(AFFORDABLE)));
            assertThat(credits.path("credits_enforced").asBoolean()).isTrue();
        }
    }

    private record Outcome(int succeeded, int refused, BigDecimal billed) {}

    private static Outcome fire(GatewayHarness gateway, String key) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        List<Future<HttpResponse<String>>> pending = new ArrayList<>(REQUESTS);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                pending.add(threads.submit(() -> client.send(request, HttpResponse.BodyHandlers.ofString())));
            }
        }
        int succeeded = 0;
        int refused = 0;
        BigDecimal billed = BigDecimal.ZERO;
        for (Future<HttpResponse<String>> future : pending) {
            HttpResponse<String> response = future.get();
            if (response.statusCode() == 200) {
                succeeded++;
                BigDecimal cost =
                        GatewayHarness.json(response).path("usage").path("cost").decimalValue();
                assertThat(cost).isEqualByComparingTo(COST);
                billed = billed.add(cost);
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(402);
                assertThat(GatewayHarness.json(response)
                                .path("error")
                                .path("message")
                                .asText())
                        .contains("requires more credits");
                refused++;
            }
        }
        return new Outcome(succeeded, refused, billed);
    }
}
