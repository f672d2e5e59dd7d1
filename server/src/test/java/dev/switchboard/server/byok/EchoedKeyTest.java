package dev.switchboard.server.byok;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.LogCapture;
import dev.switchboard.testkit.FixedUpstream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A provider that quotes the key it was called with in its error ("Incorrect API key provided: ...")
 * does not make the gateway hand that key on: the provider's message and raw body reach the client and
 * the record with the key replaced, and nothing logged holds it.
 */
class EchoedKeyTest {
    private static final String SECRET = "sk-ECHOED-byok-key-5f1e2d3c4b5a69788796";

    @Test
    void anErrorThatQuotesTheKeyReachesTheClientWithoutIt() {
        String echo = "{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET
                + ". You can find your API key at https://example.invalid.\",\"code\":\"invalid_api_key\"}}";
        String text;
        HttpResponse<String> response;
        try (LogCapture logs = LogCapture.start();
                FixedUpstream provider = FixedUpstream.answering(401, "application/json", echo);
                GatewayHarness gateway =
                        GatewayHarness.start(Map.of(), "routing: { retries: 0 }\n", provider.baseUrl())) {
            HttpResponse<String> created = gateway.send(
                    "POST",
                    "/byok",
                    ADMIN_KEY,
                    "{\"provider\":\"extra\",\"always_use\":true,\"key\":\"" + SECRET + "\"}",
                    Map.of());
            assertThat(created.statusCode()).isEqualTo(201);

            response = gateway.post(
                    "/chat/completions",
                    "{\"model\":\"" + GatewayHarness.EXTRA_MODEL
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            text = logs.text();
        }

        assertThat(response.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(response.body()).contains("Incorrect API key provided").doesNotContain(SECRET);
        assertThat(text).doesNotContain(SECRET);
    }
}
