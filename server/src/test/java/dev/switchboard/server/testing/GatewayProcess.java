package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway in a process of its own, started as the launcher starts it ({@code serve}, the launcher's
 * 128 MB heap unless told otherwise), for tests that need what an in-process gateway cannot give: a
 * heap of production size, and a process that can be killed. Its standard error is kept for the test
 * to read; its standard output is read for the listening port. The child sees no {@code SWITCHBOARD_*}
 * or {@code *_API_KEY} variable of the test's environment.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Switchboard listening on (http://\\S+/api/v1)");
    private final Process process;
    private final URI baseUrl;
    private final Path stderr;
    private final String firstOutputLine;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private GatewayProcess(Process process, Listening listening, Path stderr) {
        this.process = process;
        this.baseUrl = listening.baseUrl();
        this.firstOutputLine = listening.firstLine();
        this.stderr = stderr;
    }

    private record Listening(URI baseUrl, String firstLine) {}

    /**
     * Starts {@code serve --config config --port 0 --data-dir dataDir} with {@link GatewayHarness#ADMIN_KEY}
     * as the management key, and waits until it listens.
     *
     * @param javaOptions JVM options, e.g. {@code -Xmx128m}
     */
    public static GatewayProcess start(Path config, Path dataDir, List<String> javaOptions) {
        try {
            Path stderr = Files.createTempFile("switchboard-process", ".stderr");
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(javaOptions);
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.switchboard.server.cli.Main",
                    "serve",
                    "--config",
                    config.toString(),
                    "--port",
                    "0",
                    "--data-dir",
                    dataDir.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
            builder.environment()
                    .keySet()
                    .removeIf(name -> name.startsWith("SWITCHBOARD_") || name.endsWith("_API_KEY"));
            builder.environment().put("SWITCHBOARD_ADMIN_KEY", GatewayHarness.ADMIN_KEY);
            Process process = builder.start();
            return new GatewayProcess(process, awaitListening(process, stderr), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Listening awaitListening(Process process, Path stderr) throws IOException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = null;
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            first = first == null ? line : first;
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(ignored -> {}));
                return new Listening(URI.create(matcher.group(1)), first);
            }
        }
        throw new IllegalStateException("the gateway exited before listening: " + Files.readString(stderr));
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public Process process() {
        return process;
    }

    /** The first line the process wrote to standard output. */
    public String firstOutputLine() {
        return firstOutputLine;
    }

    /** What the process wrote to standard error so far. */
    public String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates an inference key with the management key and returns its secret. */
    public String createKey(String name) {
        HttpResponse<String> response = send("POST", "/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"" + name + "\"}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("key creation failed: " + response.statusCode() + " " + response.body());
        }
        return GatewayHarness.json(response).path("key").asText();
    }

    /** The generation record {@code id}, read with {@code key}. */
    public JsonNode generation(String id, String key) {
        HttpResponse<String> response = send("GET", "/generation?id=" + id, key, null);
        if (response.statusCode() != 200) {
            throw new AssertionError("no generation " + id + ": " + response.statusCode() + " " + response.body());
        }
        return GatewayHarness.json(response).path("data");
    }

    public HttpResponse<String> send(String method, String path, String key, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The harness's test configuration for an upstream at {@code simulatorBase}, plus {@code extraYaml}. */
    public static String configYaml(URI simulatorBase, String extraYaml) {
        return GatewayHarness.configYaml(simulatorBase) + extraYaml;
    }

    /** Kills the process at once, as {@code kill -9} does. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    private void waitFor() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process as SIGTERM does, and waits for it. */
    @Override
    public void close() {
        process.destroy();
        waitFor();
        if (process.isAlive()) {
            kill();
        }
        stderr.toFile().delete();
    }
}
