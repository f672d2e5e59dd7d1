package dev.switchboard.server.byok;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway for BYOK tests, its providers all at the upstream simulator, which tells them apart by the key
 * each request carries ({@link dev.switchboard.simulator.SimulatorStats#authorizations()}):
 * <ul>
 *   <li>{@code alpha} (Alpha Cloud), shared key {@value #ALPHA_SHARED}, retains prompts, not ZDR;</li>
 *   <li>{@code beta} (Beta Cloud), shared key {@value #BETA_SHARED}, zero data retention;</li>
 *   <li>{@code gamma} (Gamma Cloud), without a key of the gateway's (its variable is unset): callable with a
 *       workspace's own key only;</li>
 *   <li>{@code dormant}, disabled in the configuration.</li>
 * </ul>
 * Models: {@value #DUO} on alpha (prompt $0.000001, completion $0.000002 per token) and beta (twice
 * that); {@value #ALPHA_ONLY}, {@value #GAMMA_ONLY} and {@value #OFF_ONLY} on one provider each, at
 * alpha's prices. Requests sort by price, so that alpha is planned before beta.
 */
final class ByokFixture {
    static final String ALPHA_SHARED = "sk-shared-alpha-gateway-key";
    static final String BETA_SHARED = "sk-shared-beta-gateway-key";
    static final String DUO = "acme/duo";
    static final String ALPHA_ONLY = "acme/alpha-only";
    static final String GAMMA_ONLY = "acme/gamma-only";
    static final String OFF_ONLY = "acme/off-only";

    private ByokFixture() {}

    static GatewayHarness start() {
        return start("", Map.of(), Optional.empty());
    }

    /** @param extraYaml top-level sections of the configuration besides the providers and models */
    static GatewayHarness start(String extraYaml, Map<String, String> env, Optional<Path> dataDir) {
        return GatewayHarness.startWith(simulator -> config(simulator) + extraYaml, env, Clock.systemUTC(), dataDir);
    }

    static String config(URI simulator) {
        return """
                timeouts: { connect: 1s, first_byte: 1500ms, idle: 1s, total: 20s }
                routing: { retries: 0 }
                providers:
                  - { slug: alpha, name: Alpha Cloud, kind: openai, base_url: %1$s, api_key: %2$s,
                      data_policy: { training: false, retains_prompts: true, zdr: false } }
                  - { slug: beta, name: Beta Cloud, kind: openai, base_url: %1$s, api_key: %3$s,
                      data_policy: { zdr: true } }
                  - { slug: gamma, name: Gamma Cloud, kind: openai, base_url: %1$s,
                      api_key: "${SWITCHBOARD_TEST_UNSET_GAMMA_KEY}", data_policy: { zdr: true } }
                  - { slug: dormant, name: Dormant Cloud, kind: openai, base_url: %1$s, api_key: sk-off, enabled: false }
                models:
                  - id: acme/duo
                    context_length: 32768
                    endpoints:
                      - { provider: alpha, upstream_model: duo-a, pricing: { prompt: "0.000001", completion: "0.000002" } }
                      - { provider: beta, upstream_model: duo-b, pricing: { prompt: "0.000002", completion: "0.000004" } }
                  - id: acme/alpha-only
                    context_length: 32768
                    endpoints:
                      - { provider: alpha, upstream_model: a, pricing: { prompt: "0.000001", completion: "0.000002" } }
                  - id: acme/gamma-only
                    context_length: 32768
                    endpoints:
                      - { provider: gamma, upstream_model: g, pricing: { prompt: "0.000001", completion: "0.000002" } }
                  - id: acme/off-only
                    context_length: 32768
                    endpoints:
                      - { provider: dormant, upstream_model: o, pricing: { prompt: "0.000001", completion: "0.000002" } }
                """.formatted(simulator, ALPHA_SHARED, BETA_SHARED);
    }

    /** A chat body for {@code model}, endpoints sorted by price, with {@code providerExtra} in its provider object. */
    static String chat(String model, String providerExtra, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to BYOK\"}],"
                + "\"provider\":{\"sort\":\"price\"" + providerExtra + "}}";
    }

    static String chat(String model) {
        return chat(model, "", false);
    }

    /** Stores a BYOK key through the API and returns its id. */
    static String createKey(GatewayHarness gateway, String body) {
        HttpResponse<String> created = gateway.send("POST", "/byok", ADMIN_KEY, body, Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return GatewayHarness.json(created).path("data").path("id").asText();
    }

    static String createKey(GatewayHarness gateway, String provider, String secret, String extraFields) {
        return createKey(gateway, "{\"provider\":\"" + provider + "\",\"key\":\"" + secret + "\"" + extraFields + "}");
    }

    /** The generation record of a response, read with the test API key. */
    static JsonNode record(GatewayHarness gateway, String generationId) {
        HttpResponse<String> response = gateway.get("/generation?id=" + generationId, gateway.apiKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response).path("data");
    }

    static String bearer(String secret) {
        return "Bearer " + secret;
    }
}
