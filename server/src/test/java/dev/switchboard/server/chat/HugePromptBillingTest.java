package dev.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayProcess;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A prompt of a megabyte without whitespace, on a stream that is cancelled or fails, in a gateway with
 * the launcher's 128 MB heap. Counting such a prompt in one piece exhausted the heap: the stream was
 * cut without its in-band error and the record said 0 tokens and cost 0. The usage must be estimated
 * within the heap, billed, and the stream must end well-formed.
 */
class HugePromptBillingTest {
    private static final int PROMPT_CHARS = 1 << 20;
    private static UpstreamSimulator simulator;
    private static GatewayProcess gateway;
    private static String key;

    @BeforeAll
    static void start() throws IOException {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        Path directory = Files.createTempDirectory("switchboard-huge-prompt");
        Path config = directory.resolve("switchboard.yaml");
        // a model whose context holds the prompt, so that routing lets it through to the provider
        Files.writeString(config, GatewayProcess.configYaml(simulator.baseUrl(), """
                  - id: acme/long-context
                    context_length: 2000000
                    endpoints:
                      - provider: mock
                        upstream_model: chat-small
                        pricing: { prompt: "0.0000005", completion: "0.0000015" }
                """));
        gateway = GatewayProcess.start(config, directory.resolve("data"), List.of("-XX:+UseG1GC", "-Xmx128m"));
        key = gateway.createKey("huge prompts");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        simulator.close();
    }

    @Test
    void billsTheEstimatedPromptOfAStreamTheClientCancelled() throws Exception {
        String id;
        try (Socket socket = post(body("\"tokens_per_second\":20,\"output_tokens\":50"))) {
            BufferedReader in = reader(socket);
            id = generationId(in);
            readUntil(in, line -> line.startsWith("data: {"));
        }

        JsonNode record = awaitRecord(id);

        assertThat(record.path("cancelled").asBoolean()).isTrue();
        expectPromptBilled(record);
    }

    @Test
    void endsAFailingStreamWellFormedAndRecordsTheEstimatedPromptUnbilled() throws Exception {
        List<String> lines = new ArrayList<>();
        String id;
        try (Socket socket = post(body("\"fault\":\"reset_mid_stream\",\"fault_after_tokens\":1"))) {
            BufferedReader in = reader(socket);
            id = generationId(in);
            for (String line = in.readLine(); line != null && !lines.contains("data: [DONE]"); line = in.readLine()) {
                lines.add(line);
            }
        }

        assertThat(lines).anyMatch(line -> line.startsWith("data: {") && line.contains("\"error\""));
        assertThat(lines).contains("data: [DONE]");
        JsonNode record = awaitRecord(id);
        assertThat(record.path("error_type").asText()).isEqualTo("provider_unavailable");
        expectPromptCounted(record);
        assertThat(new BigDecimal(record.path("total_cost").asText()))
                .as("zero-completion insurance: an answer that ended in an error is not charged")
                .isZero();
        assertThat(gateway.stderr()).doesNotContain("OutOfMemoryError");
    }

    private static void expectPromptBilled(JsonNode record) {
        expectPromptCounted(record);
        assertThat(new BigDecimal(record.path("total_cost").asText())).isPositive();
    }

    private static void expectPromptCounted(JsonNode record) {
        // o200k counts this prompt as 131072 tokens; the estimate samples it, so it is close, not exact
        assertThat(record.path("tokens_prompt").asLong()).isBetween(110_000L, 160_000L);
        assertThat(record.path("usage_estimated").asBoolean()).isTrue();
    }

    private static String body(String simulatorControls) {
        return "{\"model\":\"acme/long-context\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a".repeat(PROMPT_CHARS) + "\"}],\"simulator\":{" + simulatorControls + "}}";
    }

    private static Socket post(String body) throws IOException {
        URI url = gateway.baseUrl();
        Socket socket = new Socket(url.getHost(), url.getPort());
        socket.setSoTimeout(30_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + url.getPath() + "/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String generationId(BufferedReader in) throws IOException {
        String status = in.readLine();
        assertThat(status).startsWith("HTTP/1.1 200");
        String id = null;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("x-generation-id:")) {
                id = line.substring(line.indexOf(':') + 1).strip();
            }
        }
        assertThat(id).as("X-Generation-Id").isNotNull();
        return id;
    }

    private static void readUntil(BufferedReader in, java.util.function.Predicate<String> matching) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (matching.test(line)) {
                return;
            }
        }
        throw new AssertionError("the stream ended first");
    }

    /** The record, once the relay has noticed the client left and settled (within seconds). */
    private static JsonNode awaitRecord(String id) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            var response = gateway.send("GET", "/generation?id=" + id, key, null);
            if (response.statusCode() == 200) {
                return dev.switchboard.server.testing.GatewayHarness.json(response)
                        .path("data");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no record for " + id);
    }
}
