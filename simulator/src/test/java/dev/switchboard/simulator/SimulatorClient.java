package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain JDK HTTP/1.1 client pointed at one simulator, with the JSON and SSE chores done. */
final class SimulatorClient {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI baseUrl;

    SimulatorClient(UpstreamSimulator simulator) {
        this.baseUrl = simulator.baseUrl();
    }

    /** A minimal valid chat request; callers add fields. */
    static ObjectNode chat(String userText) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", "sim-small");
        body.putArray("messages").addObject().put("role", "user").put("content", userText);
        return body;
    }

    static ObjectNode streaming(String userText) {
        ObjectNode body = chat(userText);
        body.put("stream", true);
        return body;
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpRequest.Builder request(String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request;
    }

    HttpResponse<String> post(JsonNode body, String... headers) throws IOException, InterruptedException {
        return post(body.toString(), headers);
    }

    HttpResponse<String> post(String body, String... headers) throws IOException, InterruptedException {
        return http.send(request(body, headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<InputStream> open(JsonNode body, String... headers) throws IOException, InterruptedException {
        return http.send(request(body.toString(), headers).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(5))
                .build());
    }

    /** The {@code data:} payloads of a complete event stream, in order, checking the framing. */
    static List<String> events(String stream) {
        List<String> events = new ArrayList<>();
        for (String event : stream.split("\n\n", -1)) {
            if (event.isEmpty()) {
                continue;
            }
            if (!event.startsWith("data: ") || event.indexOf('\n') >= 0) {
                throw new AssertionError("not one data line per event: " + event);
            }
            events.add(event.substring("data: ".length()));
        }
        if (!stream.endsWith("\n\n")) {
            throw new AssertionError("stream does not end with a blank line");
        }
        return events;
    }

    /** Reads {@code data:} payloads from a live stream until {@code count} arrived or the stream ended. */
    static List<String> readEvents(BufferedReader reader, int count) throws IOException {
        List<String> events = new ArrayList<>();
        String line;
        while (events.size() < count && (line = reader.readLine()) != null) {
            if (line.startsWith("data: ")) {
                events.add(line.substring("data: ".length()));
            }
        }
        return events;
    }

    static BufferedReader reader(HttpResponse<InputStream> response) {
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }
}
