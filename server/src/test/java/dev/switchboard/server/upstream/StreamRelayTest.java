package dev.switchboard.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.HoldingUpstream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream chunks are relayed as they arrive, never held until the upstream stream ends. The upstream
 * holds the rest of its stream after the first token until the client has received that token (see
 * {@link HoldingUpstream}), so the outcome follows from the order of events alone: no clock is read,
 * and a slow machine only makes the test slower.
 */
class StreamRelayTest {
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HoldingUpstream upstream;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        upstream = HoldingUpstream.start();
        gateway = GatewayHarness.start(Map.of(), "", upstream.baseUrl());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void deliversTheFirstTokenWhileTheProviderIsStillStreaming() throws Exception {
        List<String> lines = streamReleasingTheUpstreamOnTheFirstToken();

        assertThat(upstream.releasedByTheTest())
                .as("the client had the first token while the upstream held the rest: %s", lines)
                .isTrue();
        assertThat(lines.stream().filter(HoldingUpstream::isContent).toList())
                .as("both tokens, each in its own chunk: no timeout cut the stream short")
                .hasSize(2);
        assertThat(lines.stream().filter(l -> l.startsWith("data: ")).toList().getLast())
                .isEqualTo("data: [DONE]");
    }

    /** Streams a request to the holding provider, releasing it when the first content line arrives. */
    private List<String> streamReleasingTheUpstreamOnTheFirstToken() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + gateway.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + GatewayHarness.EXTRA_MODEL
                        + "\",\"stream\":true," + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        try (Stream<String> body = response.body()) {
            body.forEach(line -> {
                lines.add(line);
                if (HoldingUpstream.isContent(line)) {
                    upstream.release();
                }
            });
        }
        return lines;
    }
}
