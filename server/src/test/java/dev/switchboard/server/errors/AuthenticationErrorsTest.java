package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may call {@code /chat/completions}: no key, an unknown key, a disabled key and an empty bearer
 * are 401; a management key is 403. Authentication comes first, so a bad key with a bad body is still
 * a 401, and the provider is never called.
 */
class AuthenticationErrorsTest {
    private static final String BODY =
            "{\"model\":\"acme/chat-small\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void rejectsARequestWithoutAuthorization() {
        HttpResponse<String> response = gateway.send("POST", "/chat/completions", null, BODY, Map.of());

        assertThat(ErrorEnvelope.expect(response, 401).path("message").asText()).contains("Authorization");
    }

    @Test
    void rejectsAnUnknownKey() {
        ErrorEnvelope.expect(chat("sk-sb-v1-not-a-key-0000000000000000000000000000", BODY), 401);
    }

    @Test
    void rejectsADisabledKey() {
        String secret = gateway.createKey("to be disabled");
        assertThat(chat(secret, BODY).statusCode()).isEqualTo(200);

        HttpResponse<String> patched = gateway.send(
                "PATCH", "/keys/" + sha256(secret), GatewayHarness.ADMIN_KEY, "{\"disabled\":true}", Map.of());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

        assertThat(ErrorEnvelope.expect(chat(secret, BODY), 401).path("message").asText())
                .containsIgnoringCase("disabled");
    }

    @Test
    void rejectsAnEmptyBearer() {
        HttpResponse<String> response =
                gateway.send("POST", "/chat/completions", null, BODY, Map.of("Authorization", "Bearer "));

        ErrorEnvelope.expect(response, 401);
    }

    @Test
    void rejectsANonBearerScheme() {
        HttpResponse<String> response = gateway.send(
                "POST", "/chat/completions", null, BODY, Map.of("Authorization", "Basic " + gateway.apiKey()));

        ErrorEnvelope.expect(response, 401);
    }

    @Test
    void refusesAManagementKeyForInference() {
        HttpResponse<String> response = chat(GatewayHarness.ADMIN_KEY, BODY);

        assertThat(ErrorEnvelope.expect(response, 403).path("message").asText()).containsIgnoringCase("management");
    }

    @Test
    void authenticatesBeforeLookingAtTheBody() {
        ErrorEnvelope.expect(chat("sk-sb-v1-not-a-key-0000000000000000000000000000", "{not json"), 401);
        ErrorEnvelope.expect(
                gateway.send("POST", "/chat/completions", null, "{\"model\":\"nope/nope\"}", Map.of()), 401);
    }

    @Test
    void neverCallsTheProviderForAnUnauthenticatedRequest() {
        long before = gateway.simulator().stats().requestsReceived();

        chat("sk-sb-v1-not-a-key-0000000000000000000000000000", BODY);
        chat(GatewayHarness.ADMIN_KEY, BODY);

        assertThat(gateway.simulator().stats().requestsReceived()).isEqualTo(before);
    }

    @Test
    void neverEchoesThePresentedSecret() {
        String secret = "sk-sb-v1-unknown-secret-echo-check-1234567890abcdef";

        HttpResponse<String> response = chat(secret, BODY);

        assertThat(response.body()).doesNotContain(secret).doesNotContain("echo-check");
    }

    private static HttpResponse<String> chat(String key, String body) {
        return gateway.send("POST", "/chat/completions", key, body, Map.of());
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
