package dev.switchboard.server.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Credits and key spending through the API: grants, the ledger, key limits, expiry, the 402. */
class CreditsApiTest {
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return gateway.send(method, path, GatewayHarness.ADMIN_KEY, body, Map.of());
    }

    @Test
    void aFreshInstallMetersWithoutEnforcingAndSaysSo() {
        HttpResponse<String> response = gateway.get("/credits", GatewayHarness.ADMIN_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(GatewayHarness.json(response)
                        .path("data")
                        .path("credits_enforced")
                        .asBoolean())
                .isFalse();
        assertThat(gateway.get("/credits", gateway.apiKey()).statusCode()).isEqualTo(403);
        assertThat(gateway.gateway().banner()).contains("credits: metered, not enforced");
    }

    @Test
    void aGrantIsBookedOnceByItsIdAndAnotherEntryCannotTakeTheId() {
        HttpResponse<String> first =
                admin("POST", "/credits/grants", "{\"amount\":12.5,\"id\":\"inv-1\",\"note\":\"q4\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(GatewayHarness.json(first).path("data").path("amount").decimalValue())
                .isEqualByComparingTo("12.5");
        assertThat(admin("POST", "/credits/grants", "{\"amount\":\"12.50\",\"id\":\"inv-1\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin("POST", "/credits/grants", "{\"amount\":13,\"id\":\"inv-1\"}")
                        .statusCode())
                .isEqualTo(409);
        assertThat(GatewayHarness.json(admin("GET", "/credits/entries", ""))
                        .path("data")
                        .findValuesAsText("id"))
                .containsOnlyOnce("inv-1");
        for (String bad : new String[] {
            "{}",
            "{\"amount\":\"lots\"}",
            "{\"amount\":-1}",
            "{\"amount\":1,\"kind\":\"gift\"}",
            "{\"amount\":1,\"colour\":\"red\"}",
            "{\"amount\":\"1E-999999999\"}",
            "{\"amount\":1e-30}"
        }) {
            HttpResponse<String> refused = admin("POST", "/credits/grants", bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void aKeysSpendingSettingsAreStoredShownAndChangeable() {
        HttpResponse<String> created = admin(
                "POST",
                "/keys",
                "{\"name\":\"capped\",\"limit\":2.5,\"limit_reset\":\"weekly\",\"expires_at\":\"2999-01-01T00:00:00Z\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = GatewayHarness.json(created).path("data");
        assertThat(key.path("limit").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(key.path("limit_remaining").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(key.path("limit_reset").asText()).isEqualTo("weekly");
        assertThat(key.path("expires_at").asText()).isEqualTo("2999-01-01T00:00:00Z");

        HttpResponse<String> patched =
                admin("PATCH", "/keys/" + key.path("hash").asText(), "{\"limit\":null}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(patched).path("data").path("limit").isNull())
                .isTrue();
        assertThat(GatewayHarness.json(patched).path("data").path("limit_reset").asText())
                .isEqualTo("weekly");

        for (String bad : new String[] {
            "{\"name\":\"x\",\"limit\":-1}",
            "{\"name\":\"x\",\"limit_reset\":\"hourly\"}",
            "{\"name\":\"x\",\"expires_at\":\"2999-01-01T00:00:00+02:00\"}",
            "{\"name\":\"x\",\"limit\":\"a\"}",
            "{\"name\":\"x\",\"limit\":\"1E-999999999\"}"
        }) {
            HttpResponse<String> refused = admin("POST", "/keys", bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void anExpiredKeyIsRefused() {
        HttpResponse<String> created =
                admin("POST", "/keys", "{\"name\":\"old\",\"expires_at\":\"2001-01-01T00:00:00Z\"}");
        String secret = GatewayHarness.json(created).path("key").asText();
        HttpResponse<String> response = gateway.get("/key", secret);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("expired");
    }

    @Test
    void aRequestItsKeyCannotAffordGets402SayingHowManyTokensItCould() {
        HttpResponse<String> created = admin("POST", "/keys", "{\"name\":\"tiny\",\"limit\":\"0.00001\"}");
        String secret = GatewayHarness.json(created).path("key").asText();
        HttpResponse<String> response = gateway.send(
                "POST",
                "/chat/completions",
                secret,
                "{\"model\":\"acme/chat-small\",\"max_tokens\":20000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());
        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(GatewayHarness.json(response).path("error").path("message").asText())
                .startsWith("This request requires more credits than this API key's limit leaves, or fewer max_tokens.")
                .containsPattern("You requested up to 20000 tokens, but can only afford [1-6]\\.$");
    }
}
