package dev.switchboard.server.byok;

import static dev.switchboard.server.byok.ByokFixture.ALPHA_ONLY;
import static dev.switchboard.server.byok.ByokFixture.ALPHA_SHARED;
import static dev.switchboard.server.byok.ByokFixture.BETA_SHARED;
import static dev.switchboard.server.byok.ByokFixture.DUO;
import static dev.switchboard.server.byok.ByokFixture.GAMMA_ONLY;
import static dev.switchboard.server.byok.ByokFixture.OFF_ONLY;
import static dev.switchboard.server.byok.ByokFixture.bearer;
import static dev.switchboard.server.byok.ByokFixture.chat;
import static dev.switchboard.server.byok.ByokFixture.createKey;
import static dev.switchboard.server.byok.ByokFixture.record;
import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a workspace's own provider keys go in a plan, seen from the upstream: the simulator records the
 * key each attempt carried, so the order of its {@code Authorization} headers is the order of the
 * attempts. Each test has a gateway of its own, so that one test's failures do not weigh on another's
 * endpoint health.
 */
class ByokRoutingTest {
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        gateway = ByokFixture.start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aPrioritizedKeyIsTriedBeforeEverySharedEndpointAndTheUpstreamSeesIt() {
        String secret = "sk-byok-beta-prioritized-0123456789abcdef";
        createKey(gateway, "beta", secret, "");

        HttpResponse<String> response = gateway.post("/chat/completions", chat(DUO));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = GatewayHarness.json(response);
        assertThat(body.path("provider").asText()).isEqualTo("Beta Cloud");
        assertThat(body.path("usage").path("is_byok").asBoolean()).isTrue();
        assertThat(authorizations()).containsExactly(bearer(secret));
        JsonNode record = record(gateway, body.path("id").asText());
        assertThat(record.path("is_byok").asBoolean()).isTrue();
        assertThat(record.path("provider_responses")).hasSize(1);
        assertThat(record.path("provider_responses").get(0).path("endpoint_id").asText())
                .isEqualTo("beta:" + DUO);
        assertThat(record.path("provider_responses").get(0).path("is_byok").asBoolean())
                .isTrue();
    }

    @Test
    void aFallbackKeyIsTriedAfterTheSharedEndpoints() {
        String secret = "sk-byok-alpha-fallback-0123456789abcdef";
        createKey(gateway, "alpha", secret, ",\"is_fallback\":true");
        gateway.simulator().refuseCredential(ALPHA_SHARED, 503);
        gateway.simulator().refuseCredential(BETA_SHARED, 429);

        HttpResponse<String> response = gateway.post("/chat/completions", chat(DUO));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(authorizations()).containsExactly(bearer(ALPHA_SHARED), bearer(BETA_SHARED), bearer(secret));
        JsonNode record =
                record(gateway, GatewayHarness.json(response).path("id").asText());
        assertThat(record.path("provider_responses"))
                .extracting(r -> r.path("is_byok").asBoolean())
                .containsExactly(false, false, true);
        assertThat(record.path("provider_responses"))
                .extracting(r -> r.path("status").asInt())
                .containsExactly(503, 429, 200);
        assertThat(record.path("is_byok").asBoolean()).isTrue();
    }

    @Test
    void keysOfOneProviderAreTriedInSortOrderThenTheSharedEndpointsWhenAllFail() {
        String later = "sk-byok-alpha-later-0123456789abcdef";
        String first = "sk-byok-alpha-first-0123456789abcdef";
        createKey(gateway, "alpha", later, ",\"sort_order\":5");
        createKey(gateway, "alpha", first, ",\"sort_order\":1");
        gateway.simulator().refuseCredential(first, 401);
        gateway.simulator().refuseCredential(later, 402);

        HttpResponse<String> response = gateway.post("/chat/completions", chat(DUO));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = GatewayHarness.json(response);
        assertThat(authorizations()).containsExactly(bearer(first), bearer(later), bearer(ALPHA_SHARED));
        assertThat(body.path("provider").asText()).isEqualTo("Alpha Cloud");
        assertThat(body.path("usage").path("is_byok").asBoolean()).isFalse();
        JsonNode record = record(gateway, body.path("id").asText());
        assertThat(record.path("is_byok").asBoolean()).isFalse();
        assertThat(record.path("provider_responses"))
                .extracting(r -> r.path("is_byok").asBoolean())
                .containsExactly(true, true, false);
    }

    @Test
    void aKeyRefusedByItsProviderLeavesTheSharedEndpointHealthy() {
        String revoked = "sk-byok-alpha-revoked-0123456789abcdef";
        createKey(gateway, "alpha", revoked, "");
        gateway.simulator().refuseCredential(revoked, 401);
        for (int i = 0; i < 6; i++) {
            assertThat(gateway.post("/chat/completions", chat(ALPHA_ONLY)).statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> endpoints = gateway.get("/models/" + ALPHA_ONLY + "/endpoints", gateway.apiKey());

        JsonNode endpoint =
                GatewayHarness.json(endpoints).path("data").path("endpoints").get(0);
        assertThat(endpoint.path("uptime_last_30m").asDouble())
                .as("a workspace's revoked key is not an outage of the endpoint")
                .isEqualTo(100.0);
    }

    @Test
    void alwaysUseKeepsTheSharedEndpointsOfItsProviderOutOfThePlan() {
        String secret = "sk-byok-alpha-always-0123456789abcdef";
        createKey(gateway, "alpha", secret, ",\"always_use\":true");
        gateway.simulator().refuseCredential(secret, 429);

        HttpResponse<String> duo = gateway.post("/chat/completions", chat(DUO));
        List<String> duoAttempts = authorizations();
        HttpResponse<String> alone = gateway.post("/chat/completions", chat(ALPHA_ONLY));

        assertThat(duo.statusCode()).as(duo.body()).isEqualTo(200);
        assertThat(duoAttempts).containsExactly(bearer(secret), bearer(BETA_SHARED));
        assertThat(alone.statusCode()).as(alone.body()).isEqualTo(429);
        assertThat(authorizations().subList(duoAttempts.size(), authorizations().size()))
                .containsExactly(bearer(secret));
    }

    @Test
    void aProviderWithoutASharedKeyIsServedWithAnOwnKeyOnly() {
        HttpResponse<String> without = gateway.post("/chat/completions", chat(GAMMA_ONLY));
        String secret = "sk-byok-gamma-0123456789abcdef";
        createKey(gateway, "gamma", secret, "");

        HttpResponse<String> with = gateway.post("/chat/completions", chat(GAMMA_ONLY));

        assertThat(without.statusCode()).as(without.body()).isEqualTo(503);
        assertThat(with.statusCode()).as(with.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(with).path("usage").path("is_byok").asBoolean())
                .isTrue();
        assertThat(authorizations()).containsExactly(bearer(secret));
    }

    @Test
    void aDisabledProviderIsNotCalledEvenWithAnOwnKey() {
        createKey(gateway, "dormant", "sk-byok-dormant-0123456789abcdef", "");

        HttpResponse<String> response = gateway.post("/chat/completions", chat(OFF_ONLY));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(authorizations()).isEmpty();
    }

    @Test
    void dataPoliciesApplyBeforeOwnKeysArePlaced() {
        String alpha = "sk-byok-alpha-retains-0123456789abcdef";
        createKey(gateway, "alpha", alpha, "");

        HttpResponse<String> zdr = gateway.post("/chat/completions", chat(DUO, ",\"zdr\":true", false));
        HttpResponse<String> deny =
                gateway.post("/chat/completions", chat(DUO, ",\"data_collection\":\"deny\"", false));
        HttpResponse<String> nothingLeft = gateway.post("/chat/completions", chat(ALPHA_ONLY, ",\"zdr\":true", false));

        assertThat(zdr.statusCode()).as(zdr.body()).isEqualTo(200);
        assertThat(deny.statusCode()).as(deny.body()).isEqualTo(200);
        assertThat(authorizations())
                .as("alpha retains prompts: neither its shared endpoint nor the workspace's key for it is called")
                .containsExactly(bearer(BETA_SHARED), bearer(BETA_SHARED));
        assertThat(nothingLeft.statusCode()).isEqualTo(404);
        assertThat(GatewayHarness.json(nothingLeft)
                        .path("error")
                        .path("availability")
                        .path("code")
                        .asText())
                .isEqualTo("privacy_restricted");
        assertThat(authorizations()).doesNotContain(bearer(alpha));
    }

    @Test
    void providerOnlyAndIgnoreStillApply() {
        String alpha = "sk-byok-alpha-ignored-0123456789abcdef";
        createKey(gateway, "alpha", alpha, "");

        HttpResponse<String> ignored = gateway.post("/chat/completions", chat(DUO, ",\"ignore\":[\"alpha\"]", false));

        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(authorizations()).containsExactly(bearer(BETA_SHARED));
    }

    @Test
    void aKeyIsUsedOnlyByItsWorkspaceAndTheModelsAndKeysItAllows() {
        createKey(gateway, "alpha", "sk-byok-team-b-0123456789abcdef", ",\"workspace_id\":\"team-b\"");
        createKey(gateway, "beta", "sk-byok-beta-other-model-0123456789", ",\"allowed_models\":[\"acme/other\"]");
        createKey(
                gateway,
                "alpha",
                "sk-byok-alpha-other-key-0123456789",
                ",\"allowed_api_key_hashes\":[\"" + ByokApiTest.sha256(createdApiKey()) + "\"]");

        HttpResponse<String> response = gateway.post("/chat/completions", chat(DUO));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(authorizations()).containsExactly(bearer(ALPHA_SHARED));
    }

    @Test
    void aDisabledKeyIsNotUsedAndAnEnabledOneIsAtOnce() {
        String secret = "sk-byok-alpha-toggled-0123456789abcdef";
        String id = createKey(gateway, "alpha", secret, ",\"disabled\":true");

        gateway.post("/chat/completions", chat(ALPHA_ONLY));
        gateway.send("PATCH", "/byok/" + id, ADMIN_KEY, "{\"disabled\":false}", Map.of());
        gateway.post("/chat/completions", chat(ALPHA_ONLY));

        assertThat(authorizations()).containsExactly(bearer(ALPHA_SHARED), bearer(secret));
    }

    @Test
    void aStreamUsesTheOwnKeyAndSaysSoInItsUsageAndRouterMetadata() {
        String secret = "sk-byok-alpha-stream-0123456789abcdef";
        createKey(gateway, "alpha", secret, "");

        StreamedResponse response = gateway.stream(chat(DUO, "", true), Map.of("X-OpenRouter-Metadata", "enabled"));

        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> chunks = response.chunks();
        JsonNode usage = chunks.stream()
                .filter(c -> c.has("usage"))
                .findFirst()
                .orElseThrow()
                .path("usage");
        assertThat(usage.path("is_byok").asBoolean()).isTrue();
        JsonNode metadata = chunks.stream()
                .filter(c -> c.has("openrouter_metadata"))
                .findFirst()
                .orElseThrow()
                .path("openrouter_metadata");
        assertThat(metadata.path("is_byok").asBoolean()).isTrue();
        assertThat(authorizations()).containsExactly(bearer(secret));
    }

    @Test
    void aKeyDeletedWhileARequestIsUnderWayGetsNoFurtherAttempt() throws Exception {
        String slow = "sk-byok-alpha-slow-0123456789abcdef";
        String deleted = "sk-byok-alpha-deleted-0123456789abcdef";
        createKey(gateway, "alpha", slow, ",\"sort_order\":0");
        String deletedId = createKey(gateway, "alpha", deleted, ",\"sort_order\":1");
        gateway.simulator().refuseCredential(slow, 503, Duration.ofMillis(800));

        CompletableFuture<HttpResponse<String>> response =
                CompletableFuture.supplyAsync(() -> gateway.post("/chat/completions", chat(ALPHA_ONLY)));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (authorizations().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        HttpResponse<String> removed = gateway.send("DELETE", "/byok/" + deletedId, ADMIN_KEY, null, Map.of());

        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(response.get().statusCode()).isEqualTo(200);
        assertThat(authorizations()).containsExactly(bearer(slow), bearer(ALPHA_SHARED));
    }

    private String createdApiKey() {
        return gateway.createKey("another key");
    }

    private List<String> authorizations() {
        return new ArrayList<>(gateway.simulator().stats().authorizations());
    }
}
