package dev.switchboard.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream chunks are relayed as they arrive, never held until the upstream stream ends. The simulator
 * paces ten tokens at four a second (about 2.25 s from the first token to the last); the client notes
 * when each line arrives. A gateway that buffered would deliver the first token together with
 * {@code [DONE]}; a relaying one delivers it about the whole stream's length earlier. The test asks
 * for more than half of that, leaving a second of slack for a loaded machine, and measures nothing
 * about speed.
 */
class StreamRelayTest {
    private static final int TOKENS = 10;
    private static final int TOKENS_PER_SECOND = 4;
    /** More than half of the (TOKENS - 1) / TOKENS_PER_SECOND = 2.25 s between the first and last token. */
    private static final Duration MIN_LEAD = Duration.ofMillis(1250);
    private static GatewayHarness gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private record Arrival(long nanos, String line) {
        boolean isContent() {
            if (!line.startsWith("data: {")) {
                return false;
            }
            JsonNode content = GatewayHarness.json(line.substring(6)).path("choices").path(0).path("delta").path("content");
            return content.isTextual() && !content.asText().isEmpty();
        }
    }

    @Test
    void deliversTheFirstTokenWhileTheProviderIsStillStreaming() {
        List<Arrival> arrivals = streamNotingArrivals("""
                {"model":"acme/chat-small","stream":true,"messages":[{"role":"user","content":"hi"}],
                 "simulator":{"output_tokens":%d,"tokens_per_second":%d}}
                """.formatted(TOKENS, TOKENS_PER_SECOND));

        List<Arrival> content = arrivals.stream().filter(Arrival::isContent).toList();
        Arrival done = arrivals.stream().filter(a -> a.line().equals("data: [DONE]")).findFirst().orElseThrow();
        assertThat(content).as("every token arrives as its own chunk").hasSize(TOKENS);
        assertThat(arrivals.stream().filter(a -> a.line().startsWith("data: ")).toList().getLast()).isEqualTo(done);
        Duration lead = Duration.ofNanos(done.nanos() - content.getFirst().nanos());
        assertThat(lead).as("time from the first token's arrival to [DONE]").isGreaterThanOrEqualTo(MIN_LEAD);
    }

    /** Streams a request and records when each line of the response reaches the client. */
    private List<Arrival> streamNotingArrivals(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + gateway.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            List<Arrival> arrivals = new ArrayList<>();
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> arrivals.add(new Arrival(System.nanoTime(), line)));
            }
            return arrivals;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
