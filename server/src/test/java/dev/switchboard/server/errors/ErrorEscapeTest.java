package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.GatewayProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@link java.lang.Error} (here an {@link OutOfMemoryError}) escaping the request path: the client
 * still gets an answer (a 500, or an in-band error and {@code [DONE]} once a stream has begun), the
 * record says what the client got, and the gateway goes on serving. The error is provoked for real:
 * a gateway process with a 64 MB heap, its upstream bounds lifted to the maximum, and an upstream that
 * declares a 2 GB body or sends an endless stream line.
 */
class ErrorEscapeTest {
    private static HttpServer upstream;
    private static GatewayProcess gateway;
    private static String key;

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.createContext("/v1/chat/completions", ErrorEscapeTest::answer);
        upstream.start();
        Path directory = Files.createTempDirectory("switchboard-error-escape");
        Path config = directory.resolve("switchboard.yaml");
        Files.writeString(config, """
                upstream: { max_body_bytes: 2147483639, max_event_bytes: 2147483639 }
                providers:
                  - { slug: huge, name: Huge Cloud, kind: openai, base_url: "http://127.0.0.1:%d/v1" }
                models:
                  - id: acme/huge
                    context_length: 8192
                    endpoints:
                      - { provider: huge, upstream_model: huge, pricing: { prompt: "0.000001", completion: "0.000001" } }
                """.formatted(upstream.getAddress().getPort()));
        gateway = GatewayProcess.start(config, directory.resolve("data"), List.of("-Xmx64m", "-XX:+UseSerialGC"));
        key = gateway.createKey("errors");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.stop(0);
    }

    /** A declared 2 GB body for a non-streaming call; an endless {@code data:} line for a stream. */
    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        boolean stream = exchange.getRequestHeaders().getFirst("Accept").contains("event-stream");
        try (OutputStream out = exchange.getResponseBody()) {
            if (!stream) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 2_000_000_000L);
                out.write("{\"id\":\"x\"".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(10_000);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            out.write(
                    ("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n"
                                    + "data: ")
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] filler = new byte[64 * 1024];
            Arrays.fill(filler, (byte) 'x');
            for (int i = 0; i < 4096; i++) {
                out.write(filler);
            }
        } catch (IOException | InterruptedException gone) {
            // the gateway hung up, as it should
        }
    }

    @Test
    void answersAndRecordsA500WhenAnErrorEscapesAWholeResponse() {
        HttpResponse<String> response = gateway.send(
                "POST",
                "/chat/completions",
                key,
                "{\"model\":\"acme/huge\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode record = gateway.generation(
                response.headers().firstValue("X-Generation-Id").orElseThrow(), key);
        assertThat(record.path("status").asInt()).isEqualTo(500);
        assertThat(record.path("error_type").asText()).isEqualTo("server");
        expectStillServing();
    }

    @Test
    void endsAStreamInBandAndRecordsTheErrorWhenAnErrorEscapesMidStream() {
        HttpResponse<String> response = gateway.send(
                "POST",
                "/chat/completions",
                key,
                "{\"model\":\"acme/huge\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = response.body()
                .lines()
                .filter(line -> line.startsWith("data: "))
                .toList();
        assertThat(data.getLast()).isEqualTo("data: [DONE]");
        assertThat(GatewayHarness.json(data.get(data.size() - 2).substring(6))
                        .path("error")
                        .path("code")
                        .asInt())
                .as(data.get(data.size() - 2))
                .isEqualTo(500);
        JsonNode record = gateway.generation(
                response.headers().firstValue("X-Generation-Id").orElseThrow(), key);
        assertThat(record.path("error_type").asText()).isEqualTo("server");
        assertThat(record.path("finish_reason").asText()).isEqualTo("error");
        expectStillServing();
    }

    private static void expectStillServing() {
        assertThat(gateway.send("GET", "/models", key, null).statusCode()).isEqualTo(200);
        assertThat(gateway.stderr()).contains("OutOfMemoryError").doesNotContain("sk-sb-");
    }
}
