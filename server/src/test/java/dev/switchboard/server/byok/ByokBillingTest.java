package dev.switchboard.server.byok;

import static dev.switchboard.server.byok.ByokFixture.ALPHA_ONLY;
import static dev.switchboard.server.byok.ByokFixture.GAMMA_ONLY;
import static dev.switchboard.server.byok.ByokFixture.chat;
import static dev.switchboard.server.byok.ByokFixture.createKey;
import static dev.switchboard.server.byok.ByokFixture.record;
import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.testing.GatewayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a request served with a workspace's own key costs, end to end: the credits pay the BYOK fee
 * ({@code byok.fee_percent}, 5 % by default) of the list price exactly, the list price is reported as
 * what the provider billed ({@code upstream_inference_cost}, {@code byok_usage*},
 * {@code byok_usage_inference}), and a key's limit counts the list price only when the key includes BYOK.
 * Prices are alpha's and gamma's: $0.000001 a prompt token, $0.000002 a completion token.
 */
class ByokBillingTest {
    private static final ObjectMapper EXACT =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final BigDecimal PROMPT = new BigDecimal("0.000001");
    private static final BigDecimal COMPLETION = new BigDecimal("0.000002");

    private GatewayHarness gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void creditsPayTheFeeAndEveryReportSaysWhatTheProviderBilled() {
        gateway = ByokFixture.start();
        createKey(gateway, "alpha", "sk-byok-billing-0123456789abcdef", ",\"always_use\":true");

        HttpResponse<String> response = gateway.post("/chat/completions", chat(ALPHA_ONLY));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode usage = exact(response.body()).path("usage");
        BigDecimal list = listPrice(usage);
        BigDecimal fee = list.multiply(new BigDecimal("0.05"));
        assertThat(list.signum()).isPositive();
        assertThat(usage.path("is_byok").asBoolean()).isTrue();
        assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(fee);
        JsonNode details = usage.path("cost_details");
        assertThat(details.path("upstream_inference_cost").decimalValue()).isEqualByComparingTo(list);
        assertThat(details.path("upstream_inference_prompt_cost").decimalValue())
                .isEqualByComparingTo(PROMPT.multiply(
                        BigDecimal.valueOf(usage.path("prompt_tokens").asLong())));
        assertThat(details.path("upstream_inference_completions_cost").decimalValue())
                .isEqualByComparingTo(COMPLETION.multiply(
                        BigDecimal.valueOf(usage.path("completion_tokens").asLong())));

        JsonNode record = record(gateway, exact(response.body()).path("id").asText());
        assertThat(record.path("is_byok").asBoolean()).isTrue();
        assertThat(record.path("total_cost").decimalValue()).isEqualByComparingTo(fee);
        assertThat(record.path("usage").decimalValue()).isEqualByComparingTo(fee);
        assertThat(record.path("upstream_inference_cost").decimalValue()).isEqualByComparingTo(list);
        assertThat(record.path("provider_responses").get(0).path("is_byok").asBoolean())
                .isTrue();

        JsonNode credits = exact(admin("GET", "/credits").body()).path("data");
        assertThat(credits.path("total_usage").decimalValue())
                .as("the credits ledger is debited the fee only")
                .isEqualByComparingTo(fee);
        JsonNode key = exact(gateway.get("/key", gateway.apiKey()).body()).path("data");
        for (String period : new String[] {"", "_daily", "_weekly", "_monthly"}) {
            assertThat(key.path("usage" + period).decimalValue()).isEqualByComparingTo(fee);
            assertThat(key.path("byok_usage" + period).decimalValue()).isEqualByComparingTo(list);
        }
        JsonNode activity = awaitActivity(items -> items.size() == 1).get(0);
        assertThat(activity.path("usage").decimalValue()).isEqualByComparingTo(fee);
        assertThat(activity.path("byok_usage_inference").decimalValue()).isEqualByComparingTo(list);
    }

    @Test
    void theConfiguredFeeIsChargedExactly() {
        gateway = ByokFixture.start("byok: { fee_percent: 2.5 }\n", Map.of(), Optional.empty());
        createKey(gateway, "gamma", "sk-byok-fee-0123456789abcdef", "");

        HttpResponse<String> response = gateway.post("/chat/completions", chat(GAMMA_ONLY));

        JsonNode usage = exact(response.body()).path("usage");
        BigDecimal fee = listPrice(usage).multiply(new BigDecimal("0.025"));
        assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(fee);
        assertThat(new BigDecimal(usage.path("cost").asText()).stripTrailingZeros())
                .as("exactly, not rounded to a micro-dollar or a float")
                .isEqualTo(fee.stripTrailingZeros());
    }

    @Test
    void aKeyLimitCountsTheListPriceOnlyWhenTheKeyIncludesByok() {
        gateway = ByokFixture.start();
        createKey(gateway, "gamma", "sk-byok-limits-0123456789abcdef", "");
        String excluding = limitedKey("excludes byok", "1", false);
        String including = limitedKey("includes byok", "1", true);

        JsonNode first = exact(chatAs(excluding, GAMMA_ONLY).body()).path("usage");
        JsonNode second = exact(chatAs(including, GAMMA_ONLY).body()).path("usage");

        BigDecimal firstFee = first.path("cost").decimalValue();
        BigDecimal secondFee = second.path("cost").decimalValue();
        BigDecimal secondList = listPrice(second);
        assertThat(remaining(excluding)).isEqualByComparingTo(BigDecimal.ONE.subtract(firstFee));
        assertThat(remaining(including))
                .isEqualByComparingTo(BigDecimal.ONE.subtract(secondFee).subtract(secondList));
    }

    @Test
    void aRequestHoldsTheListPriceAgainstAKeyLimitOnlyWhenTheKeyIncludesByok() {
        gateway = ByokFixture.start();
        createKey(gateway, "gamma", "sk-byok-holds-0123456789abcdef", "");
        // the worst case of one request: about 5 prompt tokens and 8 completion tokens, some $0.00002 at
        // list price and $0.000001 in fee
        String excluding = limitedKey("excludes byok", "0.000005", false);
        String including = limitedKey("includes byok", "0.000005", true);

        HttpResponse<String> feeOnly = chatAs(excluding, GAMMA_ONLY);
        HttpResponse<String> listToo = chatAs(including, GAMMA_ONLY);

        assertThat(feeOnly.statusCode()).as(feeOnly.body()).isEqualTo(200);
        assertThat(listToo.statusCode()).as(listToo.body()).isEqualTo(402);
        assertThat(GatewayHarness.json(listToo).path("error").path("message").asText())
                .contains("this API key's limit");
    }

    @Test
    void enforcedCreditsNeedToCoverOnlyTheFee() {
        gateway = ByokFixture.start("credits: { enforce: true }\n", Map.of(), Optional.empty());
        createKey(gateway, "gamma", "sk-byok-credits-0123456789abcdef", "");
        HttpResponse<String> granted =
                gateway.send("POST", "/credits/grants", ADMIN_KEY, "{\"amount\":\"0.000005\"}", Map.of());
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);

        HttpResponse<String> shared = gateway.post("/chat/completions", chat(ALPHA_ONLY));
        HttpResponse<String> byok = gateway.post("/chat/completions", chat(GAMMA_ONLY));

        assertThat(shared.statusCode())
                .as("the list price is beyond the credits")
                .isEqualTo(402);
        assertThat(byok.statusCode()).as(byok.body()).isEqualTo(200);
    }

    private String limitedKey(String name, String limit, boolean includeByok) {
        HttpResponse<String> created = gateway.send(
                "POST",
                "/keys",
                ADMIN_KEY,
                "{\"name\":\"" + name + "\",\"limit\":" + limit + ",\"include_byok_in_limit\":" + includeByok + "}",
                Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return GatewayHarness.json(created).path("key").asText();
    }

    private HttpResponse<String> chatAs(String key, String model) {
        return gateway.send("POST", "/chat/completions", key, chat(model), Map.of());
    }

    private BigDecimal remaining(String key) {
        return exact(gateway.get("/key", key).body())
                .path("data")
                .path("limit_remaining")
                .decimalValue();
    }

    private static BigDecimal listPrice(JsonNode usage) {
        return PROMPT.multiply(BigDecimal.valueOf(usage.path("prompt_tokens").asLong()))
                .add(COMPLETION.multiply(
                        BigDecimal.valueOf(usage.path("completion_tokens").asLong())));
    }

    private JsonNode awaitActivity(Predicate<JsonNode> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode data = exact(admin("GET", "/activity").body()).path("data");
        while (!ready.test(data) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            data = exact(admin("GET", "/activity").body()).path("data");
        }
        return data;
    }

    private HttpResponse<String> admin(String method, String path) {
        return gateway.send(method, path, ADMIN_KEY, null, Map.of());
    }

    private static JsonNode exact(String body) {
        try {
            return EXACT.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
