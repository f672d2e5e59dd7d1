package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures of the provider, before the first token: each becomes a whole error response with a real
 * status (502 for a provider in trouble, 429 with {@code Retry-After} passed on, the provider's 400
 * for a request it rejects, 503 for a provider without credentials, 504 for one that does not answer)
 * and OpenRouter's provider metadata. The provider's credentials never appear in any of them.
 */
class UpstreamErrorsTest {
    private static final String UPSTREAM_SECRET = "sk-upstream-secret-not-for-clients";
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest(name = "upstream {0}")
    @ValueSource(ints = {500, 502, 503})
    void turnsAProviderServerErrorInto502WithProviderMetadata(int upstreamStatus) {
        HttpResponse<String> response = chat("\"simulator\":{\"fault\":\"status\",\"status\":" + upstreamStatus + "}");

        JsonNode metadata = expectError(response, 502).path("metadata");
        assertThat(metadata.path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(metadata.path("raw").asText()).contains("Simulated HTTP " + upstreamStatus);
        assertThat(metadata.path("provider_code").asText()).isEqualTo(Integer.toString(upstreamStatus));
    }

    @Test
    void recordsTheFailedGenerationWithItsStatus() {
        HttpResponse<String> response = chat("\"simulator\":{\"fault\":\"status\",\"status\":500}");

        String id = response.headers().firstValue("X-Generation-Id").orElseThrow();
        HttpResponse<String> generation = gateway.get("/generation?id=" + id, gateway.apiKey());
        assertThat(generation.statusCode()).as(generation.body()).isEqualTo(200);
        JsonNode data = GatewayHarness.json(generation).path("data");
        assertThat(data.path("status").asInt()).isEqualTo(502);
        assertThat(data.path("error_type").asText()).isEqualTo("provider_unavailable");
    }

    @Test
    void turnsAProviderServerErrorBeforeTheFirstTokenIntoARealStatusWhenStreaming() {
        StreamedResponse stream = stream("\"simulator\":{\"fault\":\"status\",\"status\":500}");

        assertThat(stream.status()).isEqualTo(502);
        JsonNode error = ErrorEnvelope.expect(GatewayHarness.json(String.join("\n", stream.lines())), 502);
        assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("Mock Cloud");
    }

    @Test
    void turnsAnEmptyBodyInto502() {
        JsonNode error = expectError(chat("\"simulator\":{\"fault\":\"empty_body\"}"), 502);

        assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("Mock Cloud");
    }

    @Test
    void turnsAnEmptyStreamInto502() {
        StreamedResponse stream = stream("\"simulator\":{\"fault\":\"empty_body\"}");

        assertThat(stream.status()).isEqualTo(502);
        ErrorEnvelope.expect(GatewayHarness.json(String.join("\n", stream.lines())), 502);
    }

    @Test
    void turnsABodyThatIsNotJsonInto502() {
        expectError(chat("\"simulator\":{\"fault\":\"malformed_chunk\"}"), 502);
    }

    @Test
    void turnsABodyCutShortInto502() {
        expectError(chat("\"simulator\":{\"fault\":\"reset_mid_stream\"}"), 502);
    }

    @Test
    void turnsARefusedConnectionInto502() {
        HttpResponse<String> response = gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/offline\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        JsonNode error = expectError(response, 502);
        assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("Offline Cloud");
    }

    @Test
    void passesARateLimitOnWithRetryAfter() {
        HttpResponse<String> response = chat("\"simulator\":{\"fault\":\"status\",\"status\":429,\"retry_after\":7}");

        JsonNode error = expectError(response, 429);
        assertThat(response.headers().firstValue("Retry-After")).contains("7");
        assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(error.path("metadata").path("raw").asText()).contains("Simulated HTTP 429");
    }

    @Test
    void passesARateLimitOnWithRetryAfterWhenStreaming() {
        StreamedResponse stream = stream("\"simulator\":{\"fault\":\"status\",\"status\":429,\"retry_after\":7}");

        assertThat(stream.status()).isEqualTo(429);
        assertThat(stream.header("Retry-After")).isEqualTo("7");
        ErrorEnvelope.expect(GatewayHarness.json(String.join("\n", stream.lines())), 429);
    }

    @Test
    void passesTheProvidersRejectionOfTheRequestOnAs400() {
        HttpResponse<String> response = chat("\"simulator\":{\"fault\":\"status\",\"status\":400}");

        JsonNode metadata = expectError(response, 400).path("metadata");
        assertThat(metadata.path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(metadata.path("raw").asText()).contains("Simulated HTTP 400");
        assertThat(metadata.path("provider_code").asText()).isEqualTo("400");
    }

    @Test
    void doesNotBlameTheClientForTheGatewaysProviderCredentials() {
        HttpResponse<String> response = chat("\"simulator\":{\"fault\":\"status\",\"status\":401}");

        assertThat(expectError(response, 502)
                        .path("metadata")
                        .path("provider_code")
                        .asText())
                .isEqualTo("401");
    }

    @Test
    void answers503NamingTheMissingVariableForAProviderWithoutCredentials() {
        HttpResponse<String> response = gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/locked\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(expectError(response, 503).path("message").asText()).contains("SWITCHBOARD_TEST_UNSET_KEY");
    }

    @Test
    void answers504WhenTheProviderSendsNothingBeforeTheFirstByteTimeout() {
        long started = System.nanoTime();

        HttpResponse<String> response = chat("\"simulator\":{\"fault\":\"hang_before_headers\",\"hang_ms\":3000}");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        JsonNode error = expectError(response, 504);
        assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(error.path("metadata").path("error_type").asText()).isEqualTo("timeout");
    }

    @Test
    void answers504WhenANonStreamedBodyStallsPastTheIdleTimeout() {
        long started = System.nanoTime();

        HttpResponse<String> response = chat("\"simulator\":{\"fault\":\"stall_mid_stream\",\"hang_ms\":3000}");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        expectError(response, 504);
    }

    @Test
    void turnsAFirstByteTimeoutAfterKeepAlivesIntoAnInBand504ThenDone() {
        StreamedResponse stream = stream("\"simulator\":{\"fault\":\"hang_before_headers\",\"hang_ms\":3000}");

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.comments()).isNotEmpty();
        expectInBandError(stream, 504);
    }

    @Test
    void turnsAProviderErrorAfterKeepAlivesIntoAnInBand502ThenDone() {
        StreamedResponse stream = stream("\"simulator\":{\"fault\":\"status\",\"status\":500,\"ttft_ms\":700}");

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.comments()).isNotEmpty();
        expectInBandError(stream, 502);
    }

    @Test
    void turnsAStallMidStreamIntoAnInBand504ThenDone() {
        StreamedResponse stream =
                stream("\"simulator\":{\"fault\":\"stall_mid_stream\",\"fault_after_tokens\":2,\"hang_ms\":3000}");

        assertThat(stream.status()).isEqualTo(200);
        long content = stream.chunks().stream()
                .filter(c -> c.path("choices").path(0).path("delta").has("content"))
                .count();
        assertThat(content).isGreaterThanOrEqualTo(2);
        expectInBandError(stream, 504);
    }

    private static void expectInBandError(StreamedResponse stream, int status) {
        assertThat(stream.dataLines().getLast()).isEqualTo("data: [DONE]");
        JsonNode chunk = stream.chunks().getLast();
        JsonNode error = ErrorEnvelope.expect(chunk, status);
        assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(chunk.path("id").asText()).isEqualTo(stream.header("X-Generation-Id"));
        assertThat(chunk.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
        assertThat(stream.chunks().stream().filter(c -> c.has("usage"))).isEmpty();
        assertThat(String.join("\n", stream.lines())).doesNotContain(UPSTREAM_SECRET);
    }

    private static JsonNode expectError(HttpResponse<String> response, int status) {
        assertThat(response.body()).doesNotContain(UPSTREAM_SECRET);
        return ErrorEnvelope.expect(response, status);
    }

    private static HttpResponse<String> chat(String extra) {
        return gateway.post(
                "/chat/completions",
                "{\"model\":\"acme/chat-small\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + extra + "}");
    }

    private static StreamedResponse stream(String extra) {
        return gateway.stream(
                "{\"model\":\"acme/chat-small\",\"stream\":true,\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + extra + "}",
                Map.of());
    }
}
